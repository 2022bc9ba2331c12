package io.pretrain4j.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherConfigTest {
    @Test
    void defaults() {
        assertThat(LauncherConfig.load(Optional.empty(), Map.of()))
                .isEqualTo(new LauncherConfig("reference", Map.of(), "sn9"));
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
        assertThat(LauncherConfig.load(Optional.of(file), Map.of()))
                .isEqualTo(new LauncherConfig(
                        "wandb-era",
                        Map.of("temperature", "0.02", "alpha", "0.4"),
                        "/etc/pretrain4j/schedule.json",
                        "onnx-runtime",
                        Map.of("device", "gpu:1", "threads", "8")));
    }

    @Test
    void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, "pretrain4j.scoring.policy = wandb-era\n");
        LauncherConfig config =
                LauncherConfig.load(Optional.of(file), Map.of("PRETRAIN4J_SCORING_POLICY", "reference"));
        assertThat(config.scoringPolicy()).isEqualTo("reference");
        assertThat(LauncherConfig.environmentName("scoring.policy-config"))
                .isEqualTo("PRETRAIN4J_SCORING_POLICY_CONFIG");
    }

    /** Issue 20: include url("http://...") was fetched and applied. */
    @Test
    void urlIncludesAreRefusedAndFileIncludesRelativeToTheConfigWork(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/scoring.conf"), "pretrain4j.scoring.policy = wandb-era\n");
        Path file = dir.resolve("conf/validator.conf");
        Files.writeString(file, "include \"scoring.conf\"\n");
        assertThat(LauncherConfig.load(Optional.of(file), Map.of()).scoringPolicy())
                .isEqualTo("wandb-era");
        for (String include : java.util.List.of(
                "include url(\"http://127.0.0.1:9/evil.conf\")",
                "include required(url(\"http://127.0.0.1:9/e.conf\"))",
                "include \"http://127.0.0.1:9/evil.conf\"",
                "include url(\"file:///etc/hostname\")")) {
            Files.writeString(file, include + "\n");
            assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                    .as(include)
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining(
                            "refused: a config file may include files and classpath resources, never URLs");
        }
    }

    /** Issue 20: a config nested 10^5 deep ended in a StackOverflowError. */
    @Test
    void deepNestingAndHugeFilesAreConfigErrorsWithTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, "# deep\npretrain4j.x = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("line 2: nested more than 64 levels deep");
        Path included = dir.resolve("deep.conf");
        Files.writeString(included, "a = " + "{ b = ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n");
        Files.writeString(file, "include \"deep.conf\"\n");
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("nested");
        Files.writeString(file, "# " + "x".repeat(5 << 20) + "\n");
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("more than the 4 MB a config file may be");
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
        Map<String, String> environment = Map.of(
                "HF_TOKEN",
                "hf_env",
                "HF_ENDPOINT",
                "http://127.0.0.1:9",
                "WANDB_API_KEY",
                "from-env",
                "BT_SUBTENSOR_CHAIN_ENDPOINT",
                "ws://127.0.0.1:9945",
                "BT_WALLET_PATH",
                "/srv/wallets");
        LauncherConfig config = LauncherConfig.load(Optional.of(file), environment);
        assertThat(config.store().remoteConfig())
                .containsEntry("token", "hf_env")
                .containsEntry("endpoint", "http://127.0.0.1:9");
        assertThat(config.store().localConfig()).doesNotContainKey("token");
        assertThat(config.chain().backendConfig()).containsEntry("endpoint", "ws://127.0.0.1:9945");
        assertThat(config.chain().walletsConfig()).containsEntry("path", "/srv/wallets");
        assertThat(config.runLog().config()).as("the file wins").containsEntry("api-key", "from-file");
        assertThat(config.data().datasets().get("FINEWEB").config()).containsEntry("token", "hf_env");
        assertThat(config.data().datasets().get("local").config()).doesNotContainKey("token");

        // nothing set: only the wallet directory under the home directory; local-hub gets no token
        LauncherConfig bare = LauncherConfig.load(Optional.empty(), Map.of("HF_TOKEN", "hf_env"));
        assertThat(bare.store().remoteConfig()).doesNotContainKey("token");
        assertThat(bare.chain().walletsConfig())
                .containsEntry("path", System.getProperty("user.home") + "/.bittensor/wallets");
        Files.writeString(file, "pretrain4j.wallets.backend-config.path = \"~/my-wallets\"\n");
        assertThat(LauncherConfig.load(Optional.of(file), Map.of()).chain().walletsConfig())
                .containsEntry("path", System.getProperty("user.home") + "/my-wallets");
    }

    @Test
    void listsEveryProblemWithSuggestions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("validator.conf");
        Files.writeString(file, """
                pretrain4j { scoring.polcy = x, schedule = "", colour = red, scoring.policy-config.nested { a = 1 } }
                """);
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining(
                        "unknown key 'pretrain4j.scoring.polcy'; did you mean 'pretrain4j.scoring.policy'?")
                .hasMessageContaining("unknown key 'pretrain4j.colour'")
                .hasMessageContaining("pretrain4j.schedule is empty")
                .hasMessageContaining("policy-config.nested must be a plain value");
    }

    @Test
    void aMissingOrBrokenFileIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(dir.resolve("none.conf")), Map.of()))
                .hasMessageContaining("none.conf does not exist");
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "pretrain4j { scoring = \n");
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(broken), Map.of()))
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
        DataConfig data = LauncherConfig.load(Optional.of(file), Map.of()).data();
        assertThat(data.datasets().get("mine"))
                .isEqualTo(new DataConfig.Dataset("local", Map.of("path", "/srv/corpus", "rows-per-page", "2")));
        assertThat(data.datasets().get("FINEWEB"))
                .isEqualTo(new DataConfig.Dataset(
                        "hf-rows", Map.of("preset", "FINEWEB", "endpoint", "http://127.0.0.1:9")));
        assertThat(data.datasets()).containsKey("local");
        assertThat(data.cacheDir()).contains("/var/cache/pretrain4j");
        assertThat(LauncherConfig.load(Optional.of(file), Map.of("PRETRAIN4J_DATA_CACHE_DIR", "/tmp/w"))
                        .data()
                        .cacheDir())
                .contains("/tmp/w");
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
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
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
        StoreConfig store = LauncherConfig.load(Optional.of(file), Map.of()).store();
        assertThat(store)
                .isEqualTo(new StoreConfig(
                        "disk",
                        Map.of("root", "/srv/models"),
                        "hf",
                        Map.of("endpoint", "https://hub.example", "attempts", "9")));
        assertThat(LauncherConfig.load(Optional.empty(), Map.of("PRETRAIN4J_STORE_REMOTE", "hf"))
                        .store()
                        .remote())
                .isEqualTo("hf");
    }

    /** An app's section is read in the same pass as the shared ones: its keys checked, its variables applied, every problem listed. */
    @Test
    void anAppSectionIsReadWithTheSharedSections(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.conf");
        Files.writeString(
                file,
                "pretrain4j.miner { wallet = w1, hotkey = h1, model-dir = m, dataset = local, training-backend = t }\n");
        LauncherConfig.Loaded<Toy> loaded =
                LauncherConfig.load(Optional.of(file), Map.of("PRETRAIN4J_MINER_HOTKEY", "from-env"), Toy.SECTION);
        assertThat(loaded.app()).isEqualTo(new Toy("w1", "from-env", 0));
        assertThat(loaded.launcher()).isEqualTo(LauncherConfig.load(Optional.empty(), Map.of()));

        Files.writeString(file, """
                pretrain4j.miner { walet = w1, wallet = "", limit = 2.5 }
                pretrain4j.schedule = ""
                """);
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of(), Toy.SECTION))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("unknown key 'pretrain4j.miner.walet'; did you mean 'pretrain4j.miner.wallet'?")
                .hasMessageContaining("pretrain4j.miner.wallet is empty")
                .hasMessageContaining("pretrain4j.miner.limit must be a whole number in 0..10, got 2.5")
                .hasMessageContaining("pretrain4j.schedule is empty");
        // the shared sections alone leave the apps' sections to their apps
        assertThatThrownBy(() -> LauncherConfig.load(Optional.of(file), Map.of()))
                .hasMessageContaining("1 problem(s)");
    }

    /** A section read by {@link #anAppSectionIsReadWithTheSharedSections}: a few keys of {@code pretrain4j.miner} and one of its own. */
    private record Toy(String wallet, String hotkey, long limit) {
        static final AppSection<Toy> SECTION = new AppSection<>() {
            @Override
            public String name() {
                return "miner";
            }

            @Override
            public Class<Toy> type() {
                return Toy.class;
            }

            @Override
            public Set<String> leaves() {
                return Set.of("wallet", "hotkey", "limit", "model-dir", "dataset", "training-backend");
            }

            @Override
            public Toy read(SectionReader reader) {
                return new Toy(
                        reader.string("wallet"),
                        reader.string("hotkey"),
                        reader.has("limit") ? reader.count("limit", 0, 10) : 0);
            }
        };
    }
}
