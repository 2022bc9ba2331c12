package io.pretrain4j.crypto.timelock;

import io.pretrain4j.testing.fakes.NodeScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Runs the independent JavaScript implementation ({@code lib/crypto/src/test/node/crosscheck.mjs}:
 * noble-curves for the decryption, mcl-wasm for a second opinion on the pairing) over ciphertexts
 * made here (test code). Used by the cross-check test and by {@code bench timelock}; needs {@code node} and
 * {@code npm} (the packages are installed once into the work directory, from the lock file).
 */
final class NodeCrossCheck {
    /** One ciphertext for the script: its round, the round's signature and the commit, all as the chain sees them. */
    record Case(long round, byte[] signature, byte[] commit) {}

    private final NodeScript script;

    private NodeCrossCheck(NodeScript script) {
        this.script = script;
    }

    /** The installed {@code node}'s version, or a reason it cannot be used. */
    static String nodeVersion() throws IOException {
        return NodeScript.nodeVersion();
    }

    /**
     * Copies the script and its lock file from {@code scripts} into {@code work} and installs the
     * locked packages there unless they already are.
     *
     * @throws IOException naming what failed (no node, no npm, an install that failed)
     */
    static NodeCrossCheck prepare(Path scripts, Path work) throws IOException {
        NodeScript script = NodeScript.prepare(
                scripts, work, List.of("package.json", "package-lock.json", "crosscheck.mjs"), "mcl-wasm");
        if (!Files.isDirectory(work.resolve("node_modules/@noble/curves"))) {
            throw new IOException("npm ci left no @noble/curves in " + work);
        }
        return new NodeCrossCheck(script);
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
        Files.writeString(script.work().resolve("cases.json"), json.append("]"), StandardCharsets.UTF_8);
        return script.run(
                "crosscheck.mjs",
                List.of("cases.json"),
                Duration.ofMinutes(5),
                Map.of("CROSSCHECK_ITERATIONS", Integer.toString(iterations)));
    }
}
