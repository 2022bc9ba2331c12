package io.pretrain4j.crypto.timelock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent JavaScript implementation ({@code lib/crypto/src/test/node/crosscheck.mjs}:
 * noble-curves for the decryption, mcl-wasm for a second opinion on the pairing) over ciphertexts
 * made here (test code). Used by the cross-check test and by {@code bench timelock}; needs {@code node} and
 * {@code npm} (the packages are installed once into the work directory, from the lock file).
 */
final class NodeCrossCheck {
    /** One ciphertext for the script: its round, the round's signature and the commit, all as the chain sees them. */
    record Case(long round, byte[] signature, byte[] commit) {}

    private final Path work;

    private NodeCrossCheck(Path work) {
        this.work = work;
    }

    /** The installed {@code node}'s version, or a reason it cannot be used. */
    static String nodeVersion() throws IOException {
        List<String> out = run(List.of("node", "--version"), Path.of("."), Duration.ofSeconds(20));
        return String.join("", out).trim();
    }

    /**
     * Copies the script and its lock file from {@code scripts} into {@code work} and installs the
     * locked packages there unless they already are.
     *
     * @throws IOException naming what failed (no node, no npm, an install that failed)
     */
    static NodeCrossCheck prepare(Path scripts, Path work) throws IOException {
        Files.createDirectories(work);
        for (String name : List.of("package.json", "package-lock.json", "crosscheck.mjs")) {
            Files.copy(scripts.resolve(name), work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/@noble/curves"))
                || !Files.isDirectory(work.resolve("node_modules/mcl-wasm"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), work, Duration.ofMinutes(4));
        }
        return new NodeCrossCheck(work);
    }

    /** Runs the script over {@code cases} (timing {@code iterations} commits and pairings when above zero); returns its output lines. */
    List<String> check(List<Case> cases, int iterations) throws IOException {
        HexFormat hex = HexFormat.of();
        StringBuilder json = new StringBuilder("[");
        for (Case c : cases) {
            json.append(json.length() > 1 ? "," : "")
                    .append("{\"round\":")
                    .append(c.round())
                    .append(",\"signature\":\"")
                    .append(hex.formatHex(c.signature()))
                    .append("\",\"commit\":\"")
                    .append(hex.formatHex(c.commit()))
                    .append("\"}");
        }
        Path file = work.resolve("cases.json");
        Files.writeString(file, json.append("]"), StandardCharsets.UTF_8);
        List<String> command = List.of("node", "crosscheck.mjs", "cases.json");
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("CROSSCHECK_ITERATIONS", Integer.toString(iterations));
        return collect(builder, command, Duration.ofMinutes(5));
    }

    private static List<String> run(List<String> command, Path directory, Duration limit) throws IOException {
        return collect(
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true), command, limit);
    }

    private static List<String> collect(ProcessBuilder builder, List<String> command, Duration limit)
            throws IOException {
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close(); // nothing to read from us
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
