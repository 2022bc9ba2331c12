package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.plugins.testkit.store.TestModels;
import io.pretrain4j.testing.fakes.FakeHub;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store publish / fetch / usage} end to end through configuration, on local-hub and on hf (fake Hub). */
class StoreCommandTest {
    private static final String HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    @Test
    void publishThenFetchOnTheEmbeddedLocalHub(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("validator.conf");
        Files.writeString(
                config,
                "pretrain4j.store { local-config { root = \"" + dir.resolve("store") + "\" }, remote-config { root = \""
                        + dir.resolve("hub") + "\" } }\n");
        roundTrip(dir, config);
    }

    @Test
    void publishThenFetchThroughTheHubApi(@TempDir Path dir) throws Exception {
        try (FakeHub hub = FakeHub.start(dir.resolve("objects"))) {
            hub.requireToken("hf_cli");
            Path config = dir.resolve("validator.conf");
            Files.writeString(
                    config,
                    "pretrain4j.store { local-config { root = \"" + dir.resolve("store") + "\" }\n remote = hf\n"
                            + " remote-config { endpoint = \"" + hub.endpoint() + "\", token = hf_cli } }\n");
            roundTrip(dir, config);
        }
    }

    private static void roundTrip(Path dir, Path config) throws Exception {
        Path model = TestModels.write(dir.resolve("model"), 5);
        CommandRun publish = CommandRun.of(
                "store",
                "publish",
                "--config",
                config.toString(),
                "--dir",
                model.toString(),
                "--repo",
                "miner/cli-model",
                "--hotkey",
                HOTKEY);
        assertThat(publish.exitCode()).as(publish.err()).isZero();
        JsonNode published = ScoreCommand.MAPPER.readTree(publish.out());
        String commit = published.get("commit").asText();
        assertThat(commit).matches("[0-9a-f]{40}");

        CommandRun fetch = CommandRun.of(
                "store",
                "fetch",
                "--config",
                config.toString(),
                "--hotkey",
                HOTKEY,
                "--repo",
                "miner/cli-model",
                "--commit",
                commit);
        assertThat(fetch.exitCode()).as(fetch.err()).isZero();
        JsonNode fetched = ScoreCommand.MAPPER.readTree(fetch.out());
        assertThat(fetched.get("hash").asText())
                .isEqualTo(published.get("hash").asText())
                .isEqualTo(ModelHashes.directoryHash(TestModels.modelFilesOnly(model, dir.resolve("expected"))));
        assertThat(fetched.get("secureHash").asText())
                .isEqualTo(published.get("secureHash").asText());
        assertThat(Path.of(fetched.get("directory").asText()))
                .isEqualTo(dir.resolve("store")
                        .resolve("models")
                        .resolve(HOTKEY)
                        .resolve("models--miner--cli-model")
                        .resolve("snapshots")
                        .resolve(commit)
                        .toAbsolutePath());

        CommandRun usage = CommandRun.of("store", "usage", "--config", config.toString());
        assertThat(ScoreCommand.MAPPER.readTree(usage.out()).get("models").asInt())
                .isEqualTo(1);

        CommandRun tooSmall = CommandRun.of(
                "store",
                "fetch",
                "--config",
                config.toString(),
                "--hotkey",
                HOTKEY,
                "--repo",
                "miner/cli-model",
                "--commit",
                "0".repeat(40));
        assertThat(tooSmall.exitCode()).isEqualTo(Failures.BAD_INPUT);
        assertThat(tooSmall.err())
                .contains("miner/cli-model")
                .doesNotContain("\tat ")
                .doesNotContain("hf_cli");
    }
}
