package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.testing.fakes.FakeDatasetsServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset sample} end to end: config, plugin discovery, a dataset, a tokenizer, JSON out. */
class DatasetCommandTest {
    @Test
    void samplesTheShippedCorpusAsCPythonChoosesAndWritesWindowsForEvalLoss(@TempDir Path dir) throws Exception {
        Path windows = dir.resolve("out/windows.json");
        CommandRun run = CommandRun.of(
                "dataset",
                "sample",
                "--seed",
                "42",
                "--pages",
                "3",
                "--sequence-length",
                "1024",
                "--tokenizer",
                "gpt2",
                "--windows-out",
                windows.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = ScoreCommand.MAPPER.readTree(run.out());
        // python3 -c "import random; random.seed(42); print([random.randint(0, 250 - 4) for _ in
        // range(3)])" -> [163, 28, 6]
        assertThat(out.get("pages"))
                .extracting(JsonNode::asText)
                .containsExactly("default_163_train", "default_28_train", "default_6_train");
        assertThat(out.get("documents").asInt()).isEqualTo(12);
        // Brown texts are longer than gpt2's 1024-token limit: each is cut there, plus its EOS
        assertThat(out.get("tokens").asInt()).isEqualTo(12 * 1025);
        assertThat(out.get("windows").asInt()).isEqualTo(12);
        List<int[]> written = EvalLossCommand.readWindows(windows);
        assertThat(written).hasSize(12).allSatisfy(w -> assertThat(w).hasSize(1024));
        assertThat(Packing.sha256(written)).isEqualTo(out.get("sha256").asText());

        CommandRun again =
                CommandRun.of("dataset", "sample", "--seed", "42", "--pages", "3", "--sequence-length", "1024");
        assertThat(ScoreCommand.MAPPER.readTree(again.out()).get("sha256").asText())
                .isEqualTo(out.get("sha256").asText());
        CommandRun other =
                CommandRun.of("dataset", "sample", "--seed", "43", "--pages", "3", "--sequence-length", "1024");
        assertThat(ScoreCommand.MAPPER.readTree(other.out()).get("sha256").asText())
                .isNotEqualTo(out.get("sha256").asText());
    }

    @Test
    void samplesAConfiguredDatasetsServerDatasetThroughTheConfigFile(@TempDir Path dir) throws Exception {
        List<String> documents;
        try (InputStream in = DatasetCommandTest.class.getResourceAsStream(
                "/io/pretrain4j/adapters/dataset/local/brown-sample.jsonl.gz")) {
            documents = FakeDatasetsServer.documents(in, 40);
        }
        FakeDatasetsServer.Dataset fineweb = new FakeDatasetsServer.Dataset(
                "HuggingFaceFW/fineweb-edu-score-2",
                "text",
                List.of(
                        new FakeDatasetsServer.Config("default", "train", 1_000_000),
                        new FakeDatasetsServer.Config("CC-MAIN-2024-10", "train", 500_000)),
                documents);
        try (FakeDatasetsServer server = FakeDatasetsServer.start(List.of(fineweb))) {
            Path config = dir.resolve("validator.conf");
            Files.writeString(
                    config,
                    "pretrain4j.data.datasets.edu { factory = hf-rows, preset = FINEWEB2, endpoint = \""
                            + server.endpoint() + "\", retry-delay = 10ms }\npretrain4j.data.cache-dir = \""
                            + dir.resolve("cache") + "\"\n");
            server.enqueue(new FakeDatasetsServer.Fault.ServerError(502), 1);
            CommandRun run = CommandRun.of(
                    "dataset",
                    "sample",
                    "--config",
                    config.toString(),
                    "--dataset",
                    "edu",
                    "--block-hash",
                    "0x00ff",
                    "--pages",
                    "2",
                    "--tokenizer",
                    "Xenova/gpt-4",
                    "--sequence-length",
                    "2048");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode out = ScoreCommand.MAPPER.readTree(run.out());
            assertThat(out.get("pages"))
                    .hasSize(2)
                    .allSatisfy(page -> assertThat(page.asText()).matches("CC-MAIN-2024-10_\\d+_train"));
            assertThat(out.get("datasetId").asText()).startsWith("hf-rows:HuggingFaceFW/fineweb-edu-score-2/configs");
            int requests = server.requests().size();
            assertThat(requests).isEqualTo(4); // /size failed once (502) and was retried, then two pages

            CommandRun cached = CommandRun.of(
                    "dataset",
                    "sample",
                    "--config",
                    config.toString(),
                    "--dataset",
                    "edu",
                    "--block-hash",
                    "0x00ff",
                    "--pages",
                    "2",
                    "--tokenizer",
                    "Xenova/gpt-4",
                    "--sequence-length",
                    "2048");
            assertThat(ScoreCommand.MAPPER.readTree(cached.out()).get("sha256").asText())
                    .isEqualTo(out.get("sha256").asText());
            assertThat(server.requests()).hasSize(requests); // served from the cache directory
        }
    }

    @Test
    void unknownNamesAreNamedWithWhatExists() {
        CommandRun run = CommandRun.of("dataset", "sample", "--seed", "1", "--dataset", "FINEWEBB");
        assertThat(run.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(run.err())
                .contains("No dataset is configured as 'FINEWEBB'")
                .contains("Did you mean 'FINEWEB'")
                .doesNotContain("\tat ");
        CommandRun tokenizer = CommandRun.of("dataset", "sample", "--seed", "1", "--tokenizer", "Xenova/gpt-5");
        assertThat(tokenizer.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(tokenizer.err())
                .contains("No tokenizer reproduces 'Xenova/gpt-5'")
                .contains("Xenova/gpt-4");
    }
}
