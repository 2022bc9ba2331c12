package io.pretrain4j.adapters.dataset.hfrows;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.data.ConfigPageSampler;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.random.MersenneTwister;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.plugins.testkit.dataset.ByteTokenizer;
import io.pretrain4j.plugins.testkit.dataset.TextDatasetContract;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.testing.fakes.FakeDatasetsServer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The dataset contract for hf-rows in both page styles, against the loopback datasets-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HfRowsContractTest {
    private final FakeDatasetsServer server = FakeDatasetsServer.start(List.of(Fakes.FALCON, Fakes.FINEWEB));

    @AfterAll
    void stop() {
        server.close();
    }

    private TextDataset dataset(String preset) {
        return new HfRowsDatasetFactory()
                .create(Map.of(
                        "preset",
                        preset,
                        "endpoint",
                        server.endpoint().toString(),
                        "timeout",
                        "5s",
                        "retry-delay",
                        "10ms"));
    }

    @Nested
    class FalconOffsets extends TextDatasetContract {
        @Override
        protected TextDataset createDataset() {
            return dataset("FALCON");
        }
    }

    @Nested
    class FineWebConfigs extends TextDatasetContract {
        @Override
        protected TextDataset createDataset() {
            return dataset("FINEWEB");
        }
    }

    @Test
    void theRowsRequestedAreThePagesThePythonAlgorithmChooses() {
        server.reset();
        BigInteger seed =
                new BigInteger("69319436517848904588825731288508407490329844742363187264021454068220823191377");
        try (TextDataset fineweb = dataset("FINEWEB")) {
            EvalWindows.build(
                    fineweb,
                    new ByteTokenizer(1 << 20),
                    EvalWindows.Request.of(seed, 15, 256),
                    1); // one at a time: arrival order = page order
        }
        List<ConfigPageSampler.Split> splits = Fakes.FINEWEB.configs().stream()
                .map(c -> new ConfigPageSampler.Split(c.name(), c.split(), c.numRows()))
                .toList();
        List<Page> expected = new ConfigPageSampler(splits, 15, 50).nextRound(MersenneTwister.seeded(seed));
        List<String> requested = server.requests().stream()
                .filter(r -> r.path().equals("/rows"))
                .map(FakeDatasetsServer.Request::page)
                .toList();
        assertThat(requested)
                .isEqualTo(expected.stream()
                        .map(p -> p.config() + "/" + p.split() + "/" + p.offset() + "/50")
                        .toList());
        assertThat(server.requests().get(0).path()).isEqualTo("/size");
        assertThat(server.requests().get(0).query()).containsEntry("dataset", "HuggingFaceFW/fineweb");
    }

    @Test
    void pagesAreFetchedConcurrentlyWithTheSameResult() {
        BigInteger seed = BigInteger.valueOf(77);
        EvalWindows.Result sequential;
        try (TextDataset falcon = dataset("FALCON")) {
            sequential = EvalWindows.build(falcon, new ByteTokenizer(1 << 20), EvalWindows.Request.of(seed, 8, 256), 1);
        }
        server.reset();
        server.always(new FakeDatasetsServer.Fault.Slow(Duration.ofMillis(150)));
        EvalWindows.Result concurrent;
        try (TextDataset falcon = dataset("FALCON")) {
            concurrent = EvalWindows.build(falcon, new ByteTokenizer(1 << 20), EvalWindows.Request.of(seed, 8, 256));
        } finally {
            server.always(null);
        }
        assertThat(server.maxConcurrentRequests()).isBetween(2, EvalWindows.DEFAULT_FETCH_PARALLELISM);
        assertThat(concurrent.sha256()).isEqualTo(sequential.sha256());
        assertThat(concurrent.pages()).isEqualTo(sequential.pages());
    }
}
