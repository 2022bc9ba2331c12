package io.pretrain4j.crypto.timelock;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.crypto.bls.BLS12_381G2;

/**
 * Test code, launched by {@code bin/pretrain4j bench timelock [iterations]} on the class path (only apps
 * print; an app never imports an adapter). {@code bench timelock [iterations] [node-scripts-dir]}: the time of one timelocked
 * weight commit (encryption only: hash the round to G1, two G2 multiplications, one pairing,
 * AES-GCM) and of one pairing, here and in the Node implementation (noble-curves; mcl-wasm for the
 * pairing) in the same run, with ratios. Without node, prints the Java numbers and says why Node's are missing.
 */
public final class TimelockBench {
    private TimelockBench() {}

    public static void main(String[] args) throws IOException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path scripts = Path.of(args.length > 1 ? args[1] : "lib/crypto/src/test/node");
        byte[] payload = new byte[51 + 4 * 63]; // 64 uids: hotkey, uids, values, version key
        SecureRandom random = new SecureRandom();
        Pairing.G1 g1 = Quicknet.g1(BLS12_381G1.getGenerator(Quicknet.CURVE));
        Pairing.G2 g2 = Quicknet.g2(BLS12_381G2.getGenerator());
        for (int i = 0; i < 5; i++) { // warm-up
            TimelockEncryption.encrypt(payload, 1000 + i, random);
        }
        double commit = time(iterations, i -> TimelockEncryption.encrypt(payload, 30_000_000L + i, random));
        double pairing = time(iterations, i -> Pairing.pair(g1, g2));
        System.out.printf(
                Locale.ROOT,
                "timelocked commit (encryption of %d bytes), %d iterations each, %d cores%n",
                payload.length,
                iterations,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %10s %12s%n", "work", "ms/op", "time/Java");
        System.out.printf(
                Locale.ROOT, "%-40s %10.2f %12s%n", "Java: commit (BouncyCastle + our pairing)", commit, "1.00");
        System.out.printf(Locale.ROOT, "%-40s %10.2f %12s%n", "Java: pairing e(g1, g2)", pairing, "1.00");
        try {
            String version = NodeCrossCheck.nodeVersion();
            NodeCrossCheck node = NodeCrossCheck.prepare(
                    scripts, Path.of(System.getProperty("java.io.tmpdir"), "pretrain4j-timelock-bench"));
            List<String> lines = node.check(List.of(), iterations);
            String summary = lines.get(lines.size() - 1);
            row("Node " + version + ": commit (noble-curves)", number(summary, "nobleCommit"), commit);
            row("Node: pairing (noble-curves)", number(summary, "noblePairing"), pairing);
            row("Node: pairing (mcl-wasm)", number(summary, "mclPairing"), pairing);
        } catch (IOException | RuntimeException e) {
            System.out.println("Node numbers missing: " + e.getMessage());
        }
    }

    private static void row(String what, double ms, double java) {
        System.out.printf(Locale.ROOT, "%-40s %10.2f %12s%n", what, ms, String.format(Locale.ROOT, "%.2fx", ms / java));
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("the Node script printed no " + key + ": " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private interface Work {
        void run(int i);
    }

    private static double time(int iterations, Work work) {
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            work.run(i);
        }
        return (System.nanoTime() - start) / 1e6 / iterations;
    }
}
