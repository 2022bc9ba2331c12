package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.plugins.testkit.inference.NaiveCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval-loss} end to end: config, plugin discovery, the djl-pytorch backend, JSON out. */
class EvalLossCommandTest {
    @Test
    void printsPerWindowLossesThatMatchTheReference(@TempDir Path dir) throws Exception {
        ModelSpec spec = ModelSpec.gpt2(512, 64, 2, 4, 256).withStd(0.15);
        Path model = SyntheticModels.write(dir.resolve("model"), spec);
        int[] first = IntStream.range(0, 120).map(i -> (i * 37) % 512).toArray();
        int[] second = IntStream.range(0, 120).map(i -> (i * 101 + 7) % 512).toArray();
        Path windows = dir.resolve("windows.json");
        Files.writeString(windows, "{\"windows\": [" + json(first) + ", " + json(second) + "]}");

        CommandRun run = CommandRun.of(
                "eval-loss",
                "--model",
                model.toString(),
                "--windows",
                windows.toString(),
                "--device",
                "cpu",
                "--threads",
                "1",
                "--sanity");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = ScoreCommand.MAPPER.readTree(run.out());
        assertThat(out.get("architecture").asText()).isEqualTo("GPT2LMHeadModel");
        assertThat(out.get("parameters").asLong()).isEqualTo(spec.parameterCount());
        NaiveCausalLm naive = new NaiveCausalLm(model, spec);
        double a = naive.windowLoss(first);
        double b = naive.windowLoss(second);
        assertThat(out.get("losses").get(0).asDouble()).isCloseTo(a, within(a * 1e-4));
        assertThat(out.get("losses").get(1).asDouble()).isCloseTo(b, within(b * 1e-4));
        assertThat(out.get("mean").asDouble()).isCloseTo((a + b) / 2, within(a * 1e-4));
        assertThat(out.get("sanity").get("outputs")).hasSize(2);
        assertThat(out.get("sanity").get("outputs").get(0)).hasSize(20);
        assertThat(out.get("sanity").has("passed")).isTrue();
    }

    @Test
    void badInputsExitTwoWithOneLine(@TempDir Path dir) throws Exception {
        Path model = SyntheticModels.write(dir.resolve("model"), ModelSpec.gpt2(512, 64, 1, 4, 32));
        Path windows = dir.resolve("windows.json");
        for (String[] bad : List.of(
                new String[] {"{\"windows\": [[1, 2, 600]]}", "outside the vocabulary [0, 512)"},
                new String[] {"{\"windows\": [[1, \"x\"]]}", "windows[0][1] is not an integer token id"},
                new String[] {"{\"wins\": []}", "needs {\"windows\""},
                new String[] {"{\"windows\": [[1, 2]]", "is not valid JSON"})) {
            Files.writeString(windows, bad[0]);
            CommandRun run = CommandRun.of("eval-loss", "--model", model.toString(), "--windows", windows.toString());
            assertThat(run.exitCode()).as(bad[0]).isEqualTo(Failures.BAD_INPUT);
            assertThat(run.err()).contains(bad[1]).doesNotContain("\tat ");
        }
        Files.writeString(windows, "{\"windows\": [[1, 2, 3]]}");
        CommandRun wrongBackend = CommandRun.of(
                "eval-loss", "--model", model.toString(), "--windows", windows.toString(), "--backend", "djl-pytorh");
        assertThat(wrongBackend.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(wrongBackend.err()).contains("djl-pytorh").contains("djl-pytorch");
    }

    private static String json(int[] ids) {
        return java.util.Arrays.toString(ids);
    }
}
