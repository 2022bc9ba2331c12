package io.pretrain4j.app.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import io.pretrain4j.app.validator.cli.CommandRun;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.domain.scoring.WandbEraScoringPolicy;
import io.pretrain4j.launcher.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {
    @Test
    void wiresTheDefaultPolicyAndSchedule() {
        Injector injector = Bootstrap.injector(Optional.empty());
        assertThat(injector.getInstance(ScoringPolicy.class)).isEqualTo(ReferenceScoringPolicy.standard());
        assertThat(injector.getInstance(CompetitionSchedule.class).name()).isEqualTo("sn9");
    }

    @Test
    void choosesThePolicyByNameFromConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.conf");
        Files.writeString(file, "pretrain4j.scoring.policy = wandb-era\n");
        assertThat(Bootstrap.injector(Optional.of(file)).getInstance(ScoringPolicy.class))
                .isInstanceOf(WandbEraScoringPolicy.class);
    }

    @Test
    void listsThePluginsFound() {
        CommandRun run = CommandRun.of("plugins");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("builtin").contains("scoring policy: reference, wandb-era");
    }

    @Test
    void anUnknownPolicyFailsAtStartWithOneClearLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.conf");
        Files.writeString(file, "pretrain4j.scoring.policy = refrence\n");
        CommandRun run = CommandRun.of("plugins", "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("error: No scoring policy is called 'refrence'; available: [reference, wandb-era]."
                        + " Did you mean 'reference'?");
    }
}
