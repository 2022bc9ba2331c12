package io.pretrain4j.adapters.dataset.hfrows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.testing.fakes.FakeDatasetsServer;
import io.pretrain4j.testing.fakes.FakeDatasetsServer.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every fault the loopback datasets-server can play ends either in the right data (retried on the
 * same page) or in a clear failure, and no request outlives its timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HfRowsFaultTest {
    private static final Page PAGE = new Page("default", "train", 123_456, 50);
    private final FakeDatasetsServer server = FakeDatasetsServer.start(List.of(Fakes.FALCON, Fakes.FINEWEB));
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        server.reset();
        server.requireToken(null);
        waits.clear();
    }

    private HfRowsDataset falcon(Duration timeout, int attempts, Optional<String> token) {
        DatasetsServerClient client = new DatasetsServerClient(
                new DatasetsServerClient.ServerConfig(
                        server.endpoint(),
                        token,
                        timeout,
                        attempts,
                        Duration.ofMillis(10),
                        Duration.ofSeconds(30),
                        64 << 20),
                waits::add);
        return new HfRowsDataset(
                new HfRowsDataset.Layout(
                        "tiiuae/falcon-refinedweb",
                        Preset.Style.OFFSETS,
                        "default",
                        "train",
                        968_000_015L,
                        50,
                        List.of("text", "content")),
                client);
    }

    private List<String> expectedRows() {
        return LongStream.range(PAGE.offset(), PAGE.offset() + 50)
                .mapToObj(row -> FakeDatasetsServer.rowText(Fakes.FALCON, "default", row))
                .toList();
    }

    private List<String> pagesRequested() {
        return server.requests().stream()
                .map(FakeDatasetsServer.Request::page)
                .distinct()
                .toList();
    }

    @Test
    void tooManyRequestsWaitsRetryAfterAndRetriesTheSamePage() {
        server.enqueue(new Fault.TooManyRequests(7), 2);
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 5, Optional.empty())) {
            assertThat(dataset.fetch(PAGE)).isEqualTo(expectedRows());
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
        assertThat(server.requests()).hasSize(3);
        assertThat(pagesRequested()).containsExactly("default/train/123456/50");
    }

    @Test
    void serverErrorsBackOffExponentiallyOnTheSamePage() {
        server.enqueue(new Fault.ServerError(500), 2);
        server.enqueue(new Fault.ServerError(503), 1);
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 5, Optional.empty())) {
            assertThat(dataset.fetch(PAGE)).isEqualTo(expectedRows());
        }
        assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
        assertThat(pagesRequested()).containsExactly("default/train/123456/50");
    }

    @Test
    void persistentServerErrorsFailWithTheLastReasonAfterTheConfiguredAttempts() {
        server.always(new Fault.ServerError(500));
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 4, Optional.empty())) {
            assertThatThrownBy(() -> dataset.fetch(PAGE))
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining("rows of tiiuae/falcon-refinedweb default/train offset 123456")
                    .hasMessageContaining("giving up after 4 attempts; last: HTTP 500: Unexpected error.")
                    .extracting(e -> ((Pretrain4jException) e).errorCode())
                    .isEqualTo(DatasetErrorCode.DATASET_UNAVAILABLE);
        }
        assertThat(server.requests()).hasSize(4);
        assertThat(pagesRequested()).hasSize(1);
    }

    @Test
    void aSlowAnswerTimesOutAndTheRetryGetsTheData() {
        server.enqueue(new Fault.Slow(Duration.ofSeconds(3)), 1);
        long started = System.nanoTime();
        try (HfRowsDataset dataset = falcon(Duration.ofMillis(400), 3, Optional.empty())) {
            assertThat(dataset.fetch(PAGE)).isEqualTo(expectedRows());
        }
        // the 3 s answer was abandoned at the 400 ms deadline, not waited for
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void alwaysSlowFailsAfterTheAttemptsWithoutHanging() {
        server.always(new Fault.Slow(Duration.ofSeconds(5)));
        long started = System.nanoTime();
        try (HfRowsDataset dataset = falcon(Duration.ofMillis(300), 3, Optional.empty())) {
            assertThatThrownBy(() -> dataset.fetch(PAGE)).hasMessageContaining("no complete response within 300 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void aTruncatedBodyIsRetriedAndAPersistentOneNamed() {
        server.enqueue(new Fault.TruncatedJson(), 1);
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 3, Optional.empty())) {
            assertThat(dataset.fetch(PAGE)).isEqualTo(expectedRows());
            server.always(new Fault.TruncatedJson());
            assertThatThrownBy(() -> dataset.fetch(PAGE)).hasMessageContaining("last: the body is not valid JSON");
        }
    }

    @Test
    void wrongFieldNamesFailAtOnceNamingWhatIsThere() {
        server.enqueue(new Fault.WrongFieldNames(), 1);
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 5, Optional.empty())) {
            assertThatThrownBy(() -> dataset.fetch(PAGE))
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining(
                            "page default_123456_train row 0: no string field text or content; the row has [body]")
                    .extracting(e -> ((Pretrain4jException) e).errorCode())
                    .isEqualTo(DatasetErrorCode.DATASET_INVALID);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void anUnknownDatasetIsNotRetried() {
        try (HfRowsDataset dataset = new HfRowsDataset(
                new HfRowsDataset.Layout(
                        "nobody/nothing", Preset.Style.OFFSETS, "default", "train", 100, 50, List.of("text")),
                new DatasetsServerClient(
                        new DatasetsServerClient.ServerConfig(
                                server.endpoint(),
                                Optional.empty(),
                                Duration.ofSeconds(5),
                                5,
                                Duration.ofMillis(10),
                                Duration.ofSeconds(1),
                                1 << 20),
                        waits::add))) {
            assertThatThrownBy(() -> dataset.fetch(PAGE))
                    .hasMessageContaining("HTTP 404: The dataset does not exist.")
                    .hasMessageContaining("(not retried)");
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void theServerRejectsLengthsOver100AndTheAdapterNeverAsksForThem() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                server.endpoint()
                                                        + "/rows?dataset=tiiuae/falcon-refinedweb&config=default&split=train&offset=0&length=101"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("X-Error-Code")).contains("InvalidParameter");
        assertThatThrownBy(() -> new HfRowsDatasetFactory().create(Map.of("preset", "FALCON", "rows-per-page", "101")))
                .hasMessageContaining("rows-per-page 101 must be in [1, 100]")
                .extracting(e -> ((Pretrain4jException) e).errorCode())
                .isEqualTo(PortErrorCode.INVALID_CONFIG);
    }

    @Test
    void theTokenIsSentAsBearerAndNeverShown() {
        server.requireToken("hf_SeCrEt");
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 2, Optional.of("hf_SeCrEt"))) {
            assertThat(dataset.fetch(PAGE)).hasSize(50);
        }
        assertThat(server.requests().get(0).authorization()).contains("Bearer hf_SeCrEt");
        try (HfRowsDataset dataset = falcon(Duration.ofSeconds(5), 2, Optional.of("hf_WrOnG"))) {
            assertThatThrownBy(() -> dataset.fetch(PAGE))
                    .hasMessageContaining("HTTP 401")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hf_WrOnG"));
        }
        assertThat(new DatasetsServerClient.ServerConfig(
                                server.endpoint(),
                                Optional.of("hf_SeCrEt"),
                                Duration.ofSeconds(1),
                                1,
                                Duration.ZERO,
                                Duration.ZERO,
                                1)
                        .toString())
                .doesNotContain("hf_SeCrEt")
                .contains("<set>");
    }

    @Test
    void presetsAndConfigurationErrors() {
        assertThatThrownBy(() -> new HfRowsDatasetFactory().create(Map.of("preset", "STACK2")))
                .hasMessageContaining("Software Heritage's S3 bucket");
        assertThatThrownBy(() -> new HfRowsDatasetFactory().create(Map.of("preset", "STACK1")))
                .hasMessageContaining("requires a Hugging Face token");
        assertThat(new HfRowsDatasetFactory()
                        .create(Map.of("preset", "STACK1", "token", "hf_x"))
                        .id())
                .startsWith("hf-rows:bigcode/the-stack-dedup/default/train/offsets<=236655813");
        assertThatThrownBy(() -> new HfRowsDatasetFactory().create(Map.of("preset", "FINEWEBB", "timeout", "soon")))
                .hasMessageContaining("preset 'FINEWEBB' is not one of")
                .hasMessageContaining("timeout 'soon' is not a duration");
    }
}
