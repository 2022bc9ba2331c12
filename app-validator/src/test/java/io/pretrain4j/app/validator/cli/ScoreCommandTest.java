package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoreCommandTest {
    private static final Path EXAMPLE = findExample();

    @Test
    void scoresTheFiveModelExample() throws Exception {
        CommandRun run = CommandRun.of("score", "--input", EXAMPLE.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JsonMapper.builder().build().readTree(run.out());
        // uid 11 re-uploads uid 10's loss later and uid 13 failed: neither is competitive.
        assertThat(result.get("competitiveUids").toString()).isEqualTo("[10,12,14]");
        // uid 14 beats uid 12 by less than uid 12's epsilon advantage (10,000 blocks of decay).
        assertThat(result.get("wins").toString()).isEqualTo("{\"10\":0,\"12\":2,\"14\":1}");
        assertThat(result.get("winRates").toString()).isEqualTo("{\"10\":0.0,\"12\":1.0,\"14\":0.5}");
        JsonNode weights = result.get("weights");
        assertThat(weights.size()).isEqualTo(5);
        assertThat(weights.get("12").asDouble()).isEqualTo(1.0);
        assertThat(weights.get("14").asDouble()).isCloseTo(Math.exp(-50), within(1e-30));
        assertThat(weights.get("11").asDouble()).isCloseTo(Math.exp(-100), within(1e-50));
    }

    @Test
    void hostileSizesEndInOneLineNamingTheLimitAndWhere(@TempDir Path dir) throws Exception {
        // issue 20: each of these ended in a NullPointerException (Jackson's limit errors carry no location)
        String step =
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": %s}";
        List<String[]> cases = List.of(
                new String[] {"[".repeat(100_000) + "]".repeat(100_000), "nesting depth", "line 1, column 18"},
                new String[] {
                    String.format(step, "[{\"uid\": 1, \"score\": \"" + "x".repeat(50_000_000) + "\", \"block\": 1}]"),
                    "String value length",
                    "line 1"
                },
                new String[] {
                    String.format(step, "[{\"uid\": 1, \"score\": 1" + "0".repeat(5_000) + ", \"block\": 1}]"),
                    "Number value length",
                    "line 1"
                });
        for (String[] c : cases) {
            Path file = dir.resolve("step.json");
            Files.writeString(file, c[0]);
            CommandRun run = CommandRun.of("score", "--input", file.toString());
            assertThat(run.exitCode()).as(c[1]).isEqualTo(2);
            assertThat(run.err())
                    .as(c[1])
                    .startsWith("error: input is not valid JSON: ")
                    .contains(c[1], c[2])
                    .doesNotContain("NullPointer");
            assertThat(run.err().strip().lines().count()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|input is not valid JSON",
                "[]|input must be a JSON object",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}}|$.models must be an array",
                "{\"currentBlock\": -1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": []}|$.currentBlock must be a whole number >= 0",
                "{\"currentBlock\": 1, \"temperature\": 0, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": []}|$.temperature must be a positive number",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"cubic\"}, \"models\": []}|$.epsilon.kind must be",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 2}, \"models\": []}|$.epsilon: fixed epsilon must be in [0, 1)",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": \"low\", \"block\": 1}]}|$.models[0].score must be a loss (a finite number >= 0) or \"inf\"",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1.5, \"score\": 2, \"block\": 1}]}|$.models[0].uid must be a whole number",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": 2, \"block\": 1, \"hotkey\": 3}]}|$.models[0] has unknown key \"hotkey\"",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": 2, \"block\": 1}, {\"uid\": 1, \"score\": 3, \"block\": 1}]}|uid 1 appears more than once",
                "{\"currentBlock\": 1, \"currentBlock\": 2}|input is not valid JSON: Duplicate field 'currentBlock'",
                // issue 20: a negative or overflowing loss took all the weight
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": -1e999, \"block\": 1}]}|$.models[0].score must be a loss (a finite number >= 0)",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": -0.5, \"block\": 1}]}|$.models[0].score must be a loss (a finite number >= 0) or \"inf\"/\"nan\" for a failed model, got -0.5",
                "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": 1e999, \"block\": 1}]}|$.models[0].score must be a loss (a finite number >= 0)",
                "{\"currentBlock\": 1, \"temperature\": 1e999, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": []}|$.temperature must be",
            })
    void malformedInputExitsTwoWithOneClearLine(String input, String message, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("step.json");
        Files.writeString(file, input);
        CommandRun run = CommandRun.of("score", "--input", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: ").contains(message);
        assertThat(run.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aMissingFileExitsTwo() {
        CommandRun run = CommandRun.of("score", "--input", "/nonexistent/step.json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read /nonexistent/step.json");
    }

    @Test
    void aStepWhereNothingIsCompetitiveGivesNoWeights(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tie.json");
        Files.writeString(file, """
                {"currentBlock": 100, "temperature": 0.01, "epsilon": {"kind": "fixed", "value": 0.005},
                 "models": [{"uid": 1, "score": 2.5, "block": 50}, {"uid": 2, "score": 2.5, "block": 50}]}""");
        CommandRun run = CommandRun.of("score", "--input", file.toString());
        assertThat(run.exitCode()).isZero();
        JsonNode result = JsonMapper.builder().build().readTree(run.out());
        assertThat(result.get("competitiveUids").size()).isZero();
        assertThat(result.get("weights").size()).isZero();
    }

    @Test
    void jsonLinesAreScoredLineByLineAndEqualOneStepRuns(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder models = new StringBuilder();
            int count = 1 + random.nextInt(12);
            for (int m = 0; m < count; m++) {
                String score = random.nextInt(10) == 0 ? "\"inf\"" : String.valueOf(2 + random.nextInt(1000) / 1000.0);
                models.append(m == 0 ? "" : ", ")
                        .append("{\"uid\": ")
                        .append(m * 3 + random.nextInt(3))
                        .append(", \"score\": ")
                        .append(score)
                        .append(", \"block\": ")
                        .append(5_180_000 + random.nextInt(20_000))
                        .append("}");
            }
            lines.add(
                    "{\"currentBlock\": 5200000, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"linear-decay\", \"start\": 0.005, "
                            + "\"end\": 0.0001, \"decayBlocks\": 14400}, \"models\": [" + models + "]}");
        }
        lines.set(56, "not json");
        lines.set(120, lines.get(120).replace("\"temperature\": 0.01", "\"temperature\": 0"));
        lines.add(200, "");
        Path file = dir.resolve("steps.jsonl");
        Files.write(file, lines);
        CommandRun run = CommandRun.of("score", "--input", file.toString());
        assertThat(run.exitCode()).as("a bad line makes the exit code 2").isEqualTo(2);
        List<String> out = run.out().lines().toList();
        assertThat(out).hasSize(300);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(out.get(56)).toString())
                .startsWith("{\"line\":57,\"error\":\"input is not valid JSON");
        assertThat(json.readTree(out.get(120)).get("error").asText())
                .contains("$.temperature must be a positive number");
        assertThat(json.readTree(out.get(200)).get("line").asInt())
                .as("the blank line 201 is skipped but counted")
                .isEqualTo(202);
        int compared = 0;
        for (int i = 0; i < out.size(); i += 3) {
            JsonNode batch = json.readTree(out.get(i));
            int line = batch.get("line").asInt();
            if (batch.has("error")) {
                continue;
            }
            Path single = dir.resolve("step-" + line + ".json");
            Files.writeString(single, lines.get(line - 1));
            CommandRun one = CommandRun.of("score", "--input", single.toString());
            assertThat(one.exitCode()).isZero();
            ((com.fasterxml.jackson.databind.node.ObjectNode) batch).remove("line");
            assertThat(batch).as("line " + line).isEqualTo(json.readTree(one.out()));
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(95);
    }

    private static Path findExample() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/examples/score-five-models.json");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/examples/score-five-models.json not found above "
                + Path.of("").toAbsolutePath());
    }
}
