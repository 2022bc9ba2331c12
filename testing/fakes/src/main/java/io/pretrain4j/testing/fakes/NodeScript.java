package io.pretrain4j.testing.fakes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script with locked npm packages, for tests that check pretrain4j against an independent
 * JavaScript implementation: the script's folder (its {@code package.json}, {@code package-lock.json} and
 * scripts) is copied into a work directory under {@code target/}, {@code npm ci} installs the locked
 * packages there once, and {@link #run} runs a script, returning its output lines or failing with its tail.
 */
public final class NodeScript {
    private final Path work;

    private NodeScript(Path work) {
        this.work = work;
    }

    /** The installed {@code node}'s version; an IOException names why node cannot be run. */
    public static String nodeVersion() throws IOException {
        return String.join("", exec(List.of("node", "--version"), Path.of("."), Duration.ofSeconds(20)))
                .trim();
    }

    /**
     * Copies {@code files} from {@code scripts} into {@code work} and installs the locked packages there
     * unless {@code installed} (a path under {@code node_modules}) is already present.
     */
    public static NodeScript prepare(Path scripts, Path work, List<String> files, String installed) throws IOException {
        Files.createDirectories(work);
        for (String name : files) {
            Files.copy(scripts.resolve(name), work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules").resolve(installed))) {
            exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), work, Duration.ofMinutes(4));
        }
        return new NodeScript(work);
    }

    /** The work directory (inputs for the script go here). */
    public Path work() {
        return work;
    }

    /** Runs {@code node script args...} in the work directory. */
    public List<String> run(String script, List<String> args, Duration limit) throws IOException {
        return run(script, args, limit, Map.of());
    }

    /** Runs {@code node script args...} in the work directory with {@code environment} added. */
    public List<String> run(String script, List<String> args, Duration limit, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        return exec(command, work, limit, environment);
    }

    /** Runs {@code command} in {@code directory}, stdin closed, stdout and stderr together; non-zero exit fails. */
    private static List<String> exec(List<String> command, Path directory, Duration limit) throws IOException {
        return exec(command, directory, limit, Map.of());
    }

    private static List<String> exec(
            List<String> command, Path directory, Duration limit, Map<String, String> environment) throws IOException {
        Process process;
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            Thread drain = Thread.ofVirtual()
                    .start(() -> reader.lines().forEach(line -> {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }));
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + limit.toSeconds() + " s");
            }
            drain.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        synchronized (lines) {
            if (process.exitValue() != 0) {
                int from = Math.max(0, lines.size() - 15);
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + String.join("\n", lines.subList(from, lines.size())));
            }
            return List.copyOf(lines);
        }
    }
}
