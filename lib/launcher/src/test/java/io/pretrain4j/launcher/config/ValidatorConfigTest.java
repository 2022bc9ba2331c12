package io.pretrain4j.launcher.config;

import io.pretrain4j.domain.Pretrain4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatorConfigTest {
    @Test
    void defaults() {
        assertThat(ValidatorConfig.load(Optional.empty(), Map.of()))
                .isEqualTo(new ValidatorConfig("reference", Map.of(), "sn9"));
    }

    @Test
    void fullMappingFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j {
                  scoring { policy = wandb-era, policy-config { temperature = 0.02, alpha = "0.4" } }
                  schedule = /etc/pretrain4j/schedule.json
                  inference { backend = onnx-runtime, backend-config { device = "gpu:1", threads = 8 } }
                }
                """);
        assertThat(ValidatorConfig.load(Optional.of(file), Map.of())).isEqualTo(new ValidatorConfig("wandb-era",
                Map.of("temperature", "0.02", "alpha", "0.4"), "/etc/pretrain4j/schedule.json", "onnx-runtime",
                Map.of("device", "gpu:1", "threads", "8")));
    }

    @Test
    void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, "pretrain4j.scoring.policy = wandb-era\n");
        ValidatorConfig config = ValidatorConfig.load(Optional.of(file), Map.of("PRETRAIN4J_SCORING_POLICY", "reference"));
        assertThat(config.scoringPolicy()).isEqualTo("reference");
        assertThat(ValidatorConfig.environmentName("scoring.policy-config")).isEqualTo("PRETRAIN4J_SCORING_POLICY_CONFIG");
    }

    /** Issue 20: max-windows = 99999999999999999999 passed and became -1 as an int. */
    @Test
    void numbersAreRangeCheckedInTheirOwnTypeAndOverflowNamesTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.validator { max-windows = 99999999999999999999, sample-min = 2.5, updated-models-limit = 70000,
                  version-key = 1e999, model-retry-cadence = -1, top-model-min-share = 1e999, idle-sleep = 1e30s }
                pretrain4j.data.cache-memory-tokens = "12345678901234567890123"
                """);
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("8 problem(s)")
                .hasMessageContaining("pretrain4j.validator.idle-sleep must be at most 3650d, got PT2562047H47M16.854775807S")
                .hasMessageContaining("pretrain4j.validator.max-windows must be in 1..1000000, got 99999999999999999999")
                .hasMessageContaining("pretrain4j.validator.sample-min must be a whole number in 1..65536, got 2.5")
                .hasMessageContaining("pretrain4j.validator.updated-models-limit must be in 1..65536, got 70000")
                .hasMessageContaining("pretrain4j.validator.version-key must be a whole number")
                .hasMessageContaining("pretrain4j.validator.model-retry-cadence must be in 0..")
                .hasMessageContaining("pretrain4j.validator.top-model-min-share must be in [0, 1.0], got Infinity")
                .hasMessageContaining("pretrain4j.data.cache-memory-tokens must be in 0..9223372036854775807, got 12345678901234567890123");
        // the environment's strings go through the same check
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.empty(), Map.of("PRETRAIN4J_VALIDATOR_MAX_WINDOWS", "99999999999999999999")))
                .hasMessageContaining("pretrain4j.validator.max-windows must be in 1..1000000, got 99999999999999999999");
        assertThat(ValidatorConfig.load(Optional.empty(), Map.of("PRETRAIN4J_VALIDATOR_MAX_WINDOWS", "1000000")).validator().maxWindows())
                .isEqualTo(1_000_000);
    }

    /** Issue 20: include url("http://...") was fetched and applied. */
    @Test
    void urlIncludesAreRefusedAndFileIncludesRelativeToTheConfigWork(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/scoring.conf"), "pretrain4j.scoring.policy = wandb-era\n");
        Path file = dir.resolve("conf/validator.conf");
        Files.writeString(file, "include \"scoring.conf\"\n");
        assertThat(ValidatorConfig.load(Optional.of(file), Map.of()).scoringPolicy()).isEqualTo("wandb-era");
        for (String include : java.util.List.of("include url(\"http://127.0.0.1:9/evil.conf\")", "include required(url(\"http://127.0.0.1:9/e.conf\"))",
                "include \"http://127.0.0.1:9/evil.conf\"", "include url(\"file:///etc/hostname\")")) {
            Files.writeString(file, include + "\n");
            assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of())).as(include)
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining("refused: a config file may include files and classpath resources, never URLs");
        }
    }

    /** Issue 20: a config nested 10^5 deep ended in a StackOverflowError. */
    @Test
    void deepNestingAndHugeFilesAreConfigErrorsWithTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, "# deep\npretrain4j.x = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class).hasMessageContaining("line 2: nested more than 64 levels deep");
        Path included = dir.resolve("deep.conf");
        Files.writeString(included, "a = " + "{ b = ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n");
        Files.writeString(file, "include \"deep.conf\"\n");
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class).hasMessageContaining("nested");
        Files.writeString(file, "# " + "x".repeat(5 << 20) + "\n");
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class).hasMessageContaining("more than the 4 MB a config file may be");
    }

    /** The variables adapters used to read themselves reach them as keys of the chosen factories, under the file's own keys. */
    @Test
    void theLauncherPassesTheEnvironmentToTheChosenFactories(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.store.remote = hf
                pretrain4j.chain.backend = subtensor
                pretrain4j.run-log { logger = wandb, logger-config { entity = e, project = p, api-key = from-file } }
                """);
        Map<String, String> environment = Map.of("HF_TOKEN", "hf_env", "HF_ENDPOINT", "http://127.0.0.1:9", "WANDB_API_KEY", "from-env",
                "BT_SUBTENSOR_CHAIN_ENDPOINT", "ws://127.0.0.1:9945", "BT_WALLET_PATH", "/srv/wallets");
        ValidatorConfig config = ValidatorConfig.load(Optional.of(file), environment);
        assertThat(config.store().remoteConfig()).containsEntry("token", "hf_env").containsEntry("endpoint", "http://127.0.0.1:9");
        assertThat(config.store().localConfig()).doesNotContainKey("token");
        assertThat(config.chain().backendConfig()).containsEntry("endpoint", "ws://127.0.0.1:9945");
        assertThat(config.chain().walletsConfig()).containsEntry("path", "/srv/wallets");
        assertThat(config.runLog().config()).as("the file wins").containsEntry("api-key", "from-file");
        assertThat(config.data().datasets().get("FINEWEB").config()).containsEntry("token", "hf_env");
        assertThat(config.data().datasets().get("local").config()).doesNotContainKey("token");

        // nothing set: only the wallet directory under the home directory; local-hub gets no token
        ValidatorConfig bare = ValidatorConfig.load(Optional.empty(), Map.of("HF_TOKEN", "hf_env"));
        assertThat(bare.store().remoteConfig()).doesNotContainKey("token");
        assertThat(bare.chain().walletsConfig()).containsEntry("path", System.getProperty("user.home") + "/.bittensor/wallets");
        Files.writeString(file, "pretrain4j.wallets.backend-config.path = \"~/my-wallets\"\n");
        assertThat(ValidatorConfig.load(Optional.of(file), Map.of()).chain().walletsConfig())
                .containsEntry("path", System.getProperty("user.home") + "/my-wallets");
    }

    @Test
    void listsEveryProblemWithSuggestions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j { scoring.polcy = x, schedule = "", colour = red, scoring.policy-config.nested { a = 1 } }
                """);
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("unknown key 'pretrain4j.scoring.polcy'; did you mean 'pretrain4j.scoring.policy'?")
                .hasMessageContaining("unknown key 'pretrain4j.colour'")
                .hasMessageContaining("pretrain4j.schedule is empty")
                .hasMessageContaining("policy-config.nested must be a plain value");
    }

    @Test
    void aMissingOrBrokenFileIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(dir.resolve("none.conf")), Map.of()))
                .hasMessageContaining("none.conf does not exist");
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "pretrain4j { scoring = \n");
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(broken), Map.of()))
                .hasMessageContaining("broken.conf");
    }

    @Test
    void datasetsAndTheWindowCache(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.data {
                  datasets.mine { factory = local, path = "/srv/corpus", rows-per-page = 2 }
                  datasets.FINEWEB { endpoint = "http://127.0.0.1:9" }
                  cache-dir = /var/cache/pretrain4j
                }
                """);
        DataConfig data = ValidatorConfig.load(Optional.of(file), Map.of()).data();
        assertThat(data.datasets().get("mine")).isEqualTo(new DataConfig.Dataset("local", Map.of("path", "/srv/corpus", "rows-per-page", "2")));
        assertThat(data.datasets().get("FINEWEB"))
                .isEqualTo(new DataConfig.Dataset("hf-rows", Map.of("preset", "FINEWEB", "endpoint", "http://127.0.0.1:9")));
        assertThat(data.datasets()).containsKey("local");
        assertThat(data.cacheDir()).contains("/var/cache/pretrain4j");
        assertThat(ValidatorConfig.load(Optional.of(file), Map.of("PRETRAIN4J_DATA_CACHE_DIR", "/tmp/w")).data().cacheDir()).contains("/tmp/w");
    }

    @Test
    void badDatasetEntriesAreAllListed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.data {
                  datasets.x = 3
                  datasets.y { path = /a }
                  datasets.z { factory = local, nested { a = 1 } }
                  cache-memory-tokens = -1
                }
                """);
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("pretrain4j.data.datasets.x must be an object")
                .hasMessageContaining("pretrain4j.data.datasets.y needs 'factory'")
                .hasMessageContaining("pretrain4j.data.datasets.z.nested must be a plain value")
                .hasMessageContaining("pretrain4j.data.cache-memory-tokens must be in 0..9223372036854775807, got -1");
    }

    @Test
    void modelStores(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.store {
                  local-config { root = /srv/models }
                  remote = hf
                  remote-config { endpoint = "https://hub.example", attempts = 9 }
                }
                """);
        StoreConfig store = ValidatorConfig.load(Optional.of(file), Map.of()).store();
        assertThat(store).isEqualTo(new StoreConfig("disk", Map.of("root", "/srv/models"), "hf",
                Map.of("endpoint", "https://hub.example", "attempts", "9")));
        assertThat(ValidatorConfig.load(Optional.empty(), Map.of("PRETRAIN4J_STORE_REMOTE", "hf")).store().remote()).isEqualTo("hf");
    }

    @Test
    void theValidatorLoopSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j.validator { wallet = vali, sample-min = 7, model-time-limit = 300s, weights-interval = 30m,
                  task-datasets { "*" = local, FINEWEB2 = my-mirror } }
                """);
        LoopConfig loop = ValidatorConfig.load(Optional.of(file), Map.of("PRETRAIN4J_VALIDATOR_HOTKEY", "hk2")).validator();
        assertThat(loop.wallet()).isEqualTo("vali");
        assertThat(loop.hotkey()).isEqualTo("hk2");
        assertThat(loop.sampleMin()).isEqualTo(7);
        assertThat(loop.modelTimeLimit()).isEqualTo(java.time.Duration.ofSeconds(300));
        assertThat(loop.weightsInterval()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(loop.datasetFor("FINEWEB2")).isEqualTo("my-mirror");
        assertThat(loop.datasetFor("FINEWEB")).isEqualTo("local");
        assertThat(ValidatorConfig.load(Optional.empty(), Map.of()).validator()).isEqualTo(LoopConfig.SHIPPED);
        assertThat(LoopConfig.SHIPPED.datasetFor("FINEWEB")).isEqualTo("FINEWEB");

        Files.writeString(file, """
                pretrain4j.validator { sampel-min = 3, model-time-limit = soon, sample-min = 0, top-model-min-share = 2, sanity-check = maybe }
                """);
        assertThatThrownBy(() -> ValidatorConfig.load(Optional.of(file), Map.of()))
                .hasMessageContaining("5 problem(s)")
                .hasMessageContaining("unknown key 'pretrain4j.validator.sampel-min'; did you mean 'pretrain4j.validator.sample-min'?")
                .hasMessageContaining("pretrain4j.validator.model-time-limit must be a duration")
                .hasMessageContaining("pretrain4j.validator.sample-min must be in 1..65536, got 0")
                .hasMessageContaining("pretrain4j.validator.top-model-min-share must be in [0, 1.0], got 2.0")
                .hasMessageContaining("pretrain4j.validator.sanity-check must be true or false");
    }
}
