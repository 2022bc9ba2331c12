package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|input is not valid JSON",
            "[]|input must be a JSON object",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}}|$.models must be an array",
            "{\"currentBlock\": -1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": []}|$.currentBlock must be a whole number >= 0",
            "{\"currentBlock\": 1, \"temperature\": 0, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": []}|$.temperature must be a positive number",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"cubic\"}, \"models\": []}|$.epsilon.kind must be",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 2}, \"models\": []}|$.epsilon: fixed epsilon must be in [0, 1)",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": \"low\", \"block\": 1}]}|$.models[0].score must be a number or \"inf\"",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1.5, \"score\": 2, \"block\": 1}]}|$.models[0].uid must be a whole number",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": 2, \"block\": 1, \"hotkey\": 3}]}|$.models[0] has unknown key \"hotkey\"",
            "{\"currentBlock\": 1, \"temperature\": 0.01, \"epsilon\": {\"kind\": \"fixed\", \"value\": 0.01}, \"models\": [{\"uid\": 1, \"score\": 2, \"block\": 1}, {\"uid\": 1, \"score\": 3, \"block\": 1}]}|uid 1 appears more than once",
            "{\"currentBlock\": 1, \"currentBlock\": 2}|input is not valid JSON: Duplicate field 'currentBlock'",
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

    private static Path findExample() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/examples/score-five-models.json");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/examples/score-five-models.json not found above " + Path.of("").toAbsolutePath());
    }
}
