package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginsCommandTest {
    @Test
    void listsTheShippedFactoriesAndWithDefaultsTheirDefaults() {
        CommandRun plain = CommandRun.of("plugins");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("remote model store: ").doesNotContain("defaults:");

        CommandRun run = CommandRun.of("plugins", "--defaults");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("remote model store hf defaults:\n    endpoint = https://huggingface.co\n    timeout = 30s\n")
                .contains("chain subtensor defaults:")
                .contains("    drand-key = quicknet\n")
                .contains("run logger wandb defaults:")
                .contains("    max-retry-delay = 20s\n");
    }
}
