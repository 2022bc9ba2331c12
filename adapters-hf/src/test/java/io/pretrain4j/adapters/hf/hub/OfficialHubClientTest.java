package io.pretrain4j.adapters.hf.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pretrain4j.testing.fakes.FakeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Hugging Face Hub client (huggingface_hub, what the reference validators run) against
 * FakeHub: whoami, create_repo, upload_folder (preupload, LFS batch and PUT, commit), repo_exists,
 * model_info with files metadata, list_repo_files, list_repo_tree, get_paths_info, file_exists,
 * hf_hub_download of a regular and an LFS file, snapshot_download, list_repo_commits, a commit to a
 * branch that does not exist (404), update_repo_settings. Runs when a Python with huggingface_hub is
 * found ({@code PRETRAIN4J_PYTHON}, else {@code python3}); otherwise it is skipped with that reason.
 */
class OfficialHubClientTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialClientsCommonOperationsWorkAgainstTheFake() throws Exception {
        Optional<String> python = pythonWithHuggingfaceHub();
        if (python.isEmpty()) {
            System.err.println(
                    "OfficialHubClientTest SKIPPED: no Python with huggingface_hub found (set PRETRAIN4J_PYTHON to one)");
        }
        assumeTrue(python.isPresent(), "skipped: no Python with huggingface_hub found (set PRETRAIN4J_PYTHON to one)");
        Path script = locate("adapters-hf/src/test/python/official_hub_client.py");
        try (FakeHub hub = FakeHub.start(dir.resolve("hub"))) {
            hub.requireToken("hf_official");
            ProcessBuilder builder = new ProcessBuilder(
                            python.get(),
                            script.toString(),
                            dir.resolve("scratch").toString())
                    .redirectErrorStream(false);
            builder.environment().put("HF_ENDPOINT", hub.endpoint().toString());
            builder.environment().put("HF_TOKEN", "hf_official");
            builder.environment().remove("HF_HUB_OFFLINE");
            Path stderr = dir.resolve("stderr.txt");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            System.out.println("official huggingface_hub client against FakeHub:\n" + out);
            List<String> lines = out.lines().toList();
            assertThat(lines)
                    .filteredOn(l -> l.startsWith("FAIL"))
                    .as(Files.readString(stderr))
                    .isEmpty();
            assertThat(lines).filteredOn(l -> l.startsWith("ok ")).hasSizeGreaterThanOrEqualTo(16);
            assertThat(process.exitValue()).isZero();
            assertThat(hub.requests())
                    .filteredOn(FakeHub.Request::storage)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.authorization())
                            .as("the official client sends no token to storage either")
                            .isEmpty());
        }
    }

    static Optional<String> pythonWithHuggingfaceHub() {
        String configured = System.getenv("PRETRAIN4J_PYTHON");
        for (String candidate : configured != null ? List.of(configured) : List.of("python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import huggingface_hub")
                        .redirectErrorStream(true)
                        .start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException | InterruptedException e) {
                // not there
            }
        }
        return Optional.empty();
    }

    private static Path locate(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found");
    }
}
