package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    /**
     * A step as a subnet-9 validator publishes it to W&B: the five-model example of the docs at block
     * 5,200,000 in competition 2 (B3, epsilon decaying from 0.005 to 0.0001 over 14,400 blocks), with the
     * wins, win rates and weights the reference computes for it.
     */
    private static String step(String winRate14) {
        String original = """
                {"timestamp": 1.7e9, "pages": ["fineweb:default:1"], "seed": 7, "uids": [10, 11, 12, 13, 14], "uid_data": {
                 "10": {"block": 5180000, "hf": "a/m", "competition_id": 2, "average_loss": 2.5, "epsilon_adv": 0.0, "win_rate": 0.0, "win_total": 0, "weight": 3.720075976020836e-44},
                 "11": {"block": 5185000, "hf": "b/m", "competition_id": 2, "average_loss": 2.5, "epsilon_adv": 0.0, "win_rate": 0.0, "win_total": 0, "weight": 3.720075976020836e-44},
                 "12": {"block": 5190000, "hf": "c/m", "competition_id": 2, "average_loss": 2.45, "epsilon_adv": 0.0, "win_rate": 1.0, "win_total": 2, "weight": 1.0},
                 "13": {"block": 5195000, "hf": "d/m", "competition_id": 2, "average_loss": null, "epsilon_adv": 0.0, "win_rate": 0.0, "win_total": 0, "weight": 3.720075976020836e-44},
                 "14": {"block": 5199000, "hf": "e/m", "competition_id": 2, "average_loss": 2.449, "epsilon_adv": 0.0, "win_rate": WR14, "win_total": 1, "weight": 1.9287498479639178e-22}}}
                """.replace("WR14", winRate14).replace("\n", "");
        return "{\"step\": 3, \"step_competition_id\": 2, \"block\": 5200000, \"original_format_json\": "
                + ScoreCommand.MAPPER.valueToTree(original) + "}";
    }

    @Test
    void logsThatMatchTheRecomputationAgreeAndOthersAreNamed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("steps.jsonl");
        Files.write(log, List.of(step("0.5"), step("1.0"), "{\"block\": 5200000}", "not json"));
        CommandRun run = CommandRun.of("audit", "--step-log", log.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        List<String> out = run.out().lines().toList();
        assertThat(out)
                .containsExactly(
                        "line 2 (step 3, block 5200000, competition 2): uid 14 win_rate logged 1.0, recomputed 0.5",
                        "line 3: cannot audit: no original_format_json with uid_data",
                        "line 4: cannot audit: not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                        "audited 4 steps: 1 agree, 1 differ, 2 could not be audited");
        Files.write(log, List.of(step("0.5")));
        CommandRun clean = CommandRun.of("audit", "--step-log", log.toString());
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out()).contains("audited 1 steps: 1 agree, 0 differ, 0 could not be audited");
    }
}
