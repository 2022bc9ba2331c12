package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.hash.ModelHashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: with no UTF-8 locale (env -i, LANG and LC_ALL unset, as in many containers) the JVM
 * cannot name non-ASCII files. The launcher's environment (bin/lib/common.sh, which bin/pretrain4j,
 * bin/pretrain4j-miner and bin/test source) picks a UTF-8 locale; started without it the app says
 * what to do in one line.
 */
class LauncherLocaleIT {
    private static final Path COMMON = findCommon();

    @Test
    void underEnvIWithTheLaunchersEnvironmentNonAsciiAndNonBmpNamesHash(@TempDir Path dir) throws Exception {
        Path model = model(dir);
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\" && exec \"$@\"", COMMON.toString()));
        command.addAll(AppProcess.command("hash", model.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        bare(builder.environment());
        Result result = run(builder);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("\"hash\" : \"" + ModelHashes.directoryHash(model) + "\"")
                .doesNotContain("warning");
    }

    @Test
    void withoutAUtf8LocaleTheAppWarnsAtStartAndNamesTheFixInsteadOfAStackTrace(@TempDir Path dir) throws Exception {
        Path model = model(dir);
        ProcessBuilder builder = AppProcess.builder("hash", model.toString()).redirectErrorStream(true);
        bare(builder.environment()).put("LC_ALL", "C");
        Result result = run(builder);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains(
                        "warning: file names are encoded as",
                        "cannot be represented in this JVM's file-name encoding",
                        "LC_ALL=C.UTF-8")
                .doesNotContain("\tat ");
    }

    private static Path model(Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("été.txt"), "accents");
        Files.writeString(model.resolve("\uD83C\uDFB5.txt"), "a note outside the BMP");
        return model;
    }

    /** What env -i leaves: PATH and HOME only. */
    private static Map<String, String> bare(Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", "/usr/bin:/bin");
        String home = environment.getOrDefault("HOME", "/tmp");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", home);
        return environment;
    }

    private record Result(int exitCode, String output) {}

    private static Result run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Path findCommon() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bin/lib/common.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "bin/lib/common.sh not found above " + Path.of("").toAbsolutePath());
    }
}
