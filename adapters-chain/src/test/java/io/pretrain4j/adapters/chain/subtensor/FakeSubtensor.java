package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.timelock.Quicknet;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The fake subtensor node as other modules' tests use it (the validator's commit-reveal tests): a
 * subnet with commit-reveal weights on, a test drand beacon whose rounds follow the chain's simulated
 * time (a block every 12 s from now), and the handful of controls those tests need.
 */
public final class FakeSubtensor implements AutoCloseable {
    private final FakeSubtensorNode node;
    private final DrandBeacon beacon =
            DrandBeacon.withSecret(new BigInteger(250, new SecureRandom()).add(BigInteger.TWO));

    private FakeSubtensor(int netuid, int tempo) throws IOException {
        node = new FakeSubtensorNode(netuid);
        node.calls(SubtensorCommitRevealTest.CALLS);
        node.commitReveal(true);
        node.epochs(tempo, 1);
        node.weightsRateLimit(0);
        double anchor = System.currentTimeMillis() / 1000.0;
        node.drand(beacon, block -> (long) Math.floor((anchor + block * 12 - Quicknet.GENESIS) / 3.0));
    }

    /** A node for {@code netuid} with commit-reveal on, epochs of {@code tempo} blocks, revealed one epoch after the commit. */
    public static FakeSubtensor withCommitReveal(int netuid, int tempo) throws IOException {
        return new FakeSubtensor(netuid, tempo);
    }

    public String endpoint() {
        return node.endpoint().toString();
    }

    /** The test beacon's group key (hex), for the adapter's {@code drand-key}. */
    public String drandKey() {
        return HexFormat.of().formatHex(beacon.publicKey());
    }

    public int register(byte[] hotkey, long stakeRao) {
        return node.register(hotkey, stakeRao);
    }

    public void advance(long blocks) {
        node.advance(blocks);
    }

    public long current() {
        return node.current();
    }

    /** A runtime upgrade that moves commit_weights and reveal_weights to new call indices. */
    public void upgradeMovingCommitRevealCalls(long specVersion) {
        Map<String, Integer> moved = new HashMap<>(SubtensorCommitRevealTest.CALLS);
        moved.put("commit_weights", 100);
        moved.put("reveal_weights", 101);
        node.upgradeRuntime(specVersion, moved);
    }

    /** Extrinsics included so far, as "call@spec". */
    public List<String> extrinsics() {
        return node.extrinsics();
    }

    /** What the chain's timelock reveal did with each commit. */
    public List<String> reveals() {
        return node.reveals();
    }

    /** Extrinsics included but failed on dispatch. */
    public List<String> dispatchErrors() {
        return node.dispatchErrors();
    }

    /** The weights stored for {@code uid} as "uid:value". */
    public List<String> weightsOf(int uid) {
        return node.weightsOf(uid).stream().map(pair -> pair[0] + ":" + pair[1]).toList();
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
