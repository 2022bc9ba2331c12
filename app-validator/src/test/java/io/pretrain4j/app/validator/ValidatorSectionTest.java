package io.pretrain4j.app.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.validator.ValidatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator's own section, read through the launcher with the shared ones. */
class ValidatorSectionTest {
    /** Issue 20: max-windows = 99999999999999999999 passed and became -1 as an int. */
    @Test
    void numbersAreRangeCheckedInTheirOwnTypeAndOverflowNamesTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.validator { max-windows = 99999999999999999999, sample-min = 2.5, updated-models-limit = 70000,
                  version-key = 1e999, model-retry-cadence = -1, top-model-min-share = 1e999, idle-sleep = 1e30s }
                pretrain4j.data.cache-memory-tokens = "12345678901234567890123"
                """);
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of(), ValidatorSection.INSTANCE))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("8 problem(s)")
                .hasMessageContaining(
                        "pretrain4j.validator.idle-sleep must be at most 3650d, got PT2562047H47M16.854775807S")
                .hasMessageContaining(
                        "pretrain4j.validator.max-windows must be in 1..1000000, got 99999999999999999999")
                .hasMessageContaining("pretrain4j.validator.sample-min must be a whole number in 1..65536, got 2.5")
                .hasMessageContaining("pretrain4j.validator.updated-models-limit must be in 1..65536, got 70000")
                .hasMessageContaining("pretrain4j.validator.version-key must be a whole number")
                .hasMessageContaining("pretrain4j.validator.model-retry-cadence must be in 0..")
                .hasMessageContaining("pretrain4j.validator.top-model-min-share must be in [0, 1.0], got Infinity")
                .hasMessageContaining(
                        "pretrain4j.data.cache-memory-tokens must be in 0..9223372036854775807, got 12345678901234567890123");
        // the environment's strings go through the same check
        assertThatThrownBy(() -> LauncherConfig.load(
                        Optional.empty(),
                        Map.of("PRETRAIN4J_VALIDATOR_MAX_WINDOWS", "99999999999999999999"),
                        ValidatorSection.INSTANCE))
                .hasMessageContaining(
                        "pretrain4j.validator.max-windows must be in 1..1000000, got 99999999999999999999");
        assertThat(LauncherConfig.load(
                                Optional.empty(),
                                Map.of("PRETRAIN4J_VALIDATOR_MAX_WINDOWS", "1000000"),
                                ValidatorSection.INSTANCE)
                        .app()
                        .maxWindows())
                .isEqualTo(1_000_000);
    }

    @Test
    void theValidatorLoopSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.validator { wallet = vali, sample-min = 7, model-time-limit = 300s, weights-interval = 30m,
                  task-datasets { "*" = local, FINEWEB2 = my-mirror } }
                """);
        ValidatorSettings loop = LauncherConfig.load(
                        Optional.of(file), Map.of("PRETRAIN4J_VALIDATOR_HOTKEY", "hk2"), ValidatorSection.INSTANCE)
                .app();
        assertThat(loop.wallet()).isEqualTo("vali");
        assertThat(loop.hotkey()).isEqualTo("hk2");
        assertThat(loop.sampleMin()).isEqualTo(7);
        assertThat(loop.modelTimeLimit()).isEqualTo(Duration.ofSeconds(300));
        assertThat(loop.weightsInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(loop.datasetFor("FINEWEB2")).isEqualTo("my-mirror");
        assertThat(loop.datasetFor("FINEWEB")).isEqualTo("local");
        assertThat(LauncherConfig.load(Optional.empty(), Map.of(), ValidatorSection.INSTANCE)
                        .app())
                .isEqualTo(ValidatorSettings.SHIPPED);
        assertThat(ValidatorSettings.SHIPPED.datasetFor("FINEWEB")).isEqualTo("FINEWEB");

        Files.writeString(file, """
                pretrain4j.validator { sampel-min = 3, model-time-limit = soon, sample-min = 0, top-model-min-share = 2, sanity-check = maybe }
                """);
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of(), ValidatorSection.INSTANCE))
                .hasMessageContaining("5 problem(s)")
                .hasMessageContaining(
                        "unknown key 'pretrain4j.validator.sampel-min'; did you mean 'pretrain4j.validator.sample-min'?")
                .hasMessageContaining("pretrain4j.validator.model-time-limit must be a duration")
                .hasMessageContaining("pretrain4j.validator.sample-min must be in 1..65536, got 0")
                .hasMessageContaining("pretrain4j.validator.top-model-min-share must be in [0, 1.0], got 2.0")
                .hasMessageContaining("pretrain4j.validator.sanity-check must be true or false");
    }
}
