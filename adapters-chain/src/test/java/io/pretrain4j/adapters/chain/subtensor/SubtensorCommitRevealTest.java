package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.crypto.timelock.Quicknet;
import io.pretrain4j.crypto.timelock.TimelockEncryption;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Hotkey;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights on a subnet with commit-reveal on, against the fake node applying the chain's rules
 * (COMMIT_REVEAL.md): timelocked commits the chain decrypts and applies in the reveal epoch, hash
 * commits the adapter reveals itself, across a restart and a runtime upgrade between commit and reveal.
 */
class SubtensorCommitRevealTest {
    static final Map<String, Integer> CALLS = Map.of(
            "set_weights",
            0,
            "serve_axon",
            4,
            "commit_weights",
            96,
            "reveal_weights",
            97,
            "commit_timelocked_weights",
            113,
            "commit_timelocked_mechanism_weights",
            118);
    /** The simulated world's clock: Unix time of block 0; a block every 12 s. */
    static final double T0 = 1_780_000_000;

    private static final int NETUID = 9;

    @TempDir
    Path dir;

    private FakeSubtensorNode node;
    private final List<SubtensorChain> chains = new ArrayList<>();
    private final DrandBeacon beacon =
            DrandBeacon.withSecret(new BigInteger(250, new SecureRandom()).add(BigInteger.TWO));

    @BeforeEach
    void start() throws Exception {
        node = new FakeSubtensorNode(NETUID);
        node.calls(CALLS);
        node.register(hotkey(1).publicKey(), 5_000_000_000_000L);
        node.register(hotkey(2).publicKey(), 0);
        node.register(hotkey(3).publicKey(), 0);
        node.commitReveal(true);
        node.epochs(10, 1);
        node.weightsRateLimit(5);
        // drand publishes a round every 3 s of the simulated clock
        node.drand(beacon, block -> (long) Math.floor((T0 + block * 12 - Quicknet.GENESIS) / 3.0));
        node.advance(7);
    }

    @AfterEach
    void stop() throws Exception {
        chains.forEach(SubtensorChain::close);
        node.close();
    }

    private SubtensorChain open(CommitReveal.Mode mode, DoubleSupplier clock, byte[] beaconKey) {
        CommitReveal.Settings settings = new CommitReveal.Settings(
                mode, dir.resolve("weight-commits.json"), clock, beaconKey, new SecureRandom());
        SubtensorChain chain = new SubtensorChain(
                new JsonRpcClient(node.endpoint(), Duration.ofSeconds(5), 2),
                NETUID,
                64,
                Duration.ofSeconds(10),
                settings,
                Duration.ofMillis(50));
        chains.add(chain);
        return chain;
    }

    /** The validator going down: its chain closed (the background follow-up with it). */
    private void shutDown(SubtensorChain chain) {
        chain.close();
        chains.remove(chain);
    }

    private SubtensorChain open(CommitReveal.Mode mode) {
        return open(mode, () -> T0 + node.current() * 12.0, beacon.publicKey());
    }

    @Test
    void timelockedWeightsAreCommittedAndTheChainRevealsThemInTheRevealEpoch() throws Exception {
        SubtensorChain chain = open(CommitReveal.Mode.AUTO);
        long block = chain.setWeights(hotkey(1), List.of(1, 2), List.of(65535, 32768), 0);
        assertThat(node.extrinsics())
                .containsExactly("commit_timelocked_mechanism_weights@spec" + FakeSubtensorNode.SPEC_VERSION);
        assertThat(node.weightsOf(0)).isEmpty();
        assertThat(pending()).contains("\"TIMELOCK\"").contains("\"COMMITTED\"").contains("\"commitBlock\" : " + block);

        node.advance(25); // past the start of the reveal epoch, and the pulse of the round
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0 at block ");
        assertThat(node.weightsOf(0))
                .extracting(pair -> pair[0] + ":" + pair[1])
                .containsExactly("1:65535", "2:32768");
        assertThat(chain.weights(hotkey(1).ss58Address()).orElseThrow().uids()).containsExactly(1, 2);
        // the adapter confirms that the weights landed and forgets the commit
        await(() -> pending().equals("[ ]"), "the timelocked commit confirmed");
    }

    @Test
    void theSpecsRound1000CommitIsRevealedWithQuicknetsPulse() throws Exception {
        node.drand(DrandBeacon.quicknet(), block -> 999);
        RevealSchedule.Prediction prediction = RevealSchedule.stateful(node.epochState(), node.current(), 1);
        long head = node.current();
        // a clock at which the SDK's formula gives round 1000 for this head
        double now = Quicknet.GENESIS + 1000 * 3 + 1 - (prediction.revealBlock() + 3 - head) * 12.0;
        SubtensorChain chain =
                open(CommitReveal.Mode.AUTO, () -> now, HexFormat.of().parseHex(Quicknet.PUBLIC_KEY));
        chain.setWeights(hotkey(1), List.of(2), List.of(7), 0);
        assertThat(pending()).contains("\"round\" : 1000");
        node.drand(DrandBeacon.quicknet(), block -> block >= prediction.revealBlock() ? 1000 : 999);
        node.advance(25);
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0");
        assertThat(node.weightsOf(0))
                .extracting(pair -> pair[0] + ":" + pair[1])
                .containsExactly("2:65535");
    }

    @Test
    void aRuntimeWithoutMechanismsGetsTheCallWithoutAMechanismId() throws Exception {
        Map<String, Integer> calls = new java.util.HashMap<>(CALLS);
        calls.remove("commit_timelocked_mechanism_weights");
        node.calls(calls);
        SubtensorChain chain = open(CommitReveal.Mode.AUTO);
        chain.setWeights(hotkey(1), List.of(2), List.of(3), 0);
        assertThat(node.extrinsics()).containsExactly("commit_timelocked_weights@spec425");
        node.advance(25);
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0");
    }

    @Test
    void legacyEpochsUseTheModuloFormula() throws Exception {
        node.statefulEpochs(false);
        SubtensorChain chain = open(CommitReveal.Mode.AUTO);
        chain.setWeights(hotkey(1), List.of(1), List.of(9), 0);
        node.advance(30);
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0");
        await(() -> pending().equals("[ ]"), "the timelocked commit confirmed");
    }

    @Test
    void aClockBehindTheChainsDrandIsCorrectedInsteadOfSendingARoundTheChainRefuses() {
        SubtensorChain chain = open(CommitReveal.Mode.AUTO, () -> T0 - 3600, beacon.publicKey()); // an hour behind
        chain.setWeights(hotkey(1), List.of(1), List.of(9), 0);
        node.advance(25);
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0");
    }

    @Test
    void aRoundThePoolRefusesAsPastIsComputedAgainOnce() {
        // the clock is an hour behind and the stored pulse read is stale: the first round sent is already past
        SubtensorChain chain = open(CommitReveal.Mode.AUTO, () -> T0 - 3600, beacon.publicKey());
        node.staleDrandOnce(1000);
        chain.setWeights(hotkey(1), List.of(1), List.of(9), 0);
        assertThat(node.extrinsics()).containsExactly("commit_timelocked_mechanism_weights@spec425");
        node.advance(25);
        assertThat(node.reveals()).singleElement().asString().startsWith("applied uid 0");
    }

    @Test
    void hashCommitsAreRevealedAfterARestartBetweenCommitAndReveal() throws Exception {
        SubtensorChain first = open(CommitReveal.Mode.HASH);
        long block = first.setWeights(hotkey(1), List.of(1, 2), List.of(100, 50), 3);
        assertThat(node.extrinsics()).containsExactly("commit_weights@spec" + FakeSubtensorNode.SPEC_VERSION);
        assertThat(pending()).contains("\"HASH\"").contains("\"salt\"").contains("\"COMMITTED\"");
        shutDown(first);

        node.advance(5); // into the reveal epoch (tempo 10), with no validator running
        SubtensorChain second = open(CommitReveal.Mode.HASH);
        second.writesAs(hotkey(1));
        await(() -> !node.weightsOf(0).isEmpty(), "the reveal after the restart");
        assertThat(node.extrinsics()).containsExactly("commit_weights@spec425", "reveal_weights@spec425");
        assertThat(node.weightsOf(0))
                .extracting(pair -> pair[0] + ":" + pair[1])
                .containsExactly("1:65535", "2:32768");
        assertThat(node.dispatchErrors()).isEmpty();
        await(() -> pending().equals("[ ]"), "the revealed commit forgotten");
        assertThat(block).isPositive();
    }

    @Test
    void aRuntimeUpgradeBetweenCommitAndRevealIsFollowed() throws Exception {
        SubtensorChain chain = open(CommitReveal.Mode.HASH);
        chain.writesAs(hotkey(1));
        chain.setWeights(hotkey(1), List.of(2), List.of(1), 0);
        Map<String, Integer> moved = new java.util.HashMap<>(CALLS);
        moved.put("reveal_weights", 101);
        moved.put("commit_weights", 100);
        node.upgradeRuntime(426, moved);
        node.advance(4);
        await(() -> !node.weightsOf(0).isEmpty(), "the reveal under the new runtime");
        assertThat(node.extrinsics()).containsExactly("commit_weights@spec425", "reveal_weights@spec426");
    }

    @Test
    void aCommitKilledBeforeItWasSentIsNotRevealedAndOneThatLandedIs() throws Exception {
        SubtensorChain first = open(CommitReveal.Mode.HASH);
        first.setWeights(hotkey(1), List.of(1), List.of(5), 0);
        shutDown(first);
        // as if killed between sending and recording: the landed commit is back to PREPARED, and a
        // second one never left
        PendingCommits file = new PendingCommits(dir.resolve("weight-commits.json"));
        PendingCommits.Entry landed = file.all().get(0);
        file.replace(
                landed,
                new PendingCommits.Entry(
                        landed.kind(),
                        PendingCommits.Status.PREPARED,
                        landed.hotkey(),
                        landed.netuid(),
                        landed.uids(),
                        landed.values(),
                        landed.salt(),
                        landed.versionKey(),
                        landed.hash(),
                        landed.preparedAtBlock(),
                        0,
                        0,
                        0,
                        0,
                        0));
        file.add(new PendingCommits.Entry(
                PendingCommits.Kind.HASH,
                PendingCommits.Status.PREPARED,
                hotkey(1).ss58Address(),
                NETUID,
                List.of(2),
                List.of(5),
                List.of(1, 2, 3, 4, 5, 6, 7, 8),
                0,
                "ab".repeat(32),
                node.current(),
                0,
                0,
                0,
                0,
                0));

        node.advance(5);
        SubtensorChain second = open(CommitReveal.Mode.HASH);
        second.writesAs(hotkey(1));
        await(() -> !node.weightsOf(0).isEmpty(), "the landed commit revealed");
        assertThat(node.weightsOf(0)).extracting(pair -> pair[0]).containsExactly(1);
        assertThat(node.extrinsics()).containsExactly("commit_weights@spec425", "reveal_weights@spec425");
        await(() -> pending().equals("[ ]"), "both resolved");
    }

    /** The miner and the chain commands open the chain without a state directory: they may, until weights are to be committed. */
    @Test
    void hashCommitsWithoutAStateDirectoryAreRefusedBeforeAnythingIsSent() {
        CommitReveal.Settings settings = new CommitReveal.Settings(
                CommitReveal.Mode.HASH, null, () -> T0 + node.current() * 12.0, beacon.publicKey(), new SecureRandom());
        SubtensorChain chain = new SubtensorChain(
                new JsonRpcClient(node.endpoint(), Duration.ofSeconds(5), 2),
                NETUID,
                64,
                Duration.ofSeconds(10),
                settings,
                Duration.ofMillis(50));
        chains.add(chain);
        assertThat(chain.currentBlock()).isEqualTo(node.current());
        assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(1), List.of(65535), 0))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("commit-reveal = hash needs a state-dir")
                .hasMessageContaining("no weights were sent");
        assertThat(node.extrinsics()).isEmpty();
    }

    @Test
    void hashCommitsExpireWhenTheirRevealEpochPassesUnrevealed() throws Exception {
        SubtensorChain chain = open(CommitReveal.Mode.HASH);
        chain.setWeights(hotkey(1), List.of(1), List.of(5), 0);
        shutDown(chain);
        node.advance(30); // the reveal epoch came and went without a validator
        SubtensorChain later = open(CommitReveal.Mode.HASH);
        later.writesAs(hotkey(1));
        await(() -> pending().equals("[ ]"), "the expired commit dropped");
        assertThat(node.extrinsics()).containsExactly("commit_weights@spec425");
        assertThat(node.weightsOf(0)).isEmpty();
    }

    @Test
    void theChainsLimitOfTenUnrevealedCommitsIsRespected() throws Exception {
        node.epochs(400, 1);
        node.weightsRateLimit(0);
        SubtensorChain chain = open(CommitReveal.Mode.HASH);
        for (int i = 0; i < CommitReveal.MAX_UNREVEALED; i++) {
            chain.setWeights(hotkey(1), List.of(1), List.of(i + 1), 0);
        }
        assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(1), List.of(99), 0))
                .satisfies(
                        e -> assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.RATE_LIMITED))
                .hasMessageContaining("10 unrevealed weight commits");
        assertThat(node.extrinsics()).hasSize(10);
        shutDown(chain);

        // timelocked: the chain refuses the eleventh in an epoch on dispatch; the adapter reads that back
        SubtensorChain timelocked = open(CommitReveal.Mode.AUTO);
        for (int i = 0; i < CommitReveal.MAX_UNREVEALED; i++) {
            timelocked.setWeights(hotkey(1), List.of(2), List.of(i + 1), 0);
        }
        assertThatThrownBy(() -> timelocked.setWeights(hotkey(1), List.of(2), List.of(99), 0))
                .hasMessageContaining("no such commit is stored")
                .hasMessageContaining("refused it on dispatch");
        assertThat(node.dispatchErrors()).containsExactly("TooManyUnrevealedCommits");
    }

    @Test
    void theFakeNodeAppliesTheChainsRulesToTimelockedCommits() throws Exception {
        // rules the adapter never breaks, sent by hand: a payload naming another hotkey, a stale round, a wrong version
        SubtensorChain chain = open(CommitReveal.Mode.AUTO);
        RuntimeTracker runtimes = new RuntimeTracker(
                new JsonRpcClient(node.endpoint(), Duration.ofSeconds(5), 2),
                new NodeReplies(new JsonRpcClient(node.endpoint(), Duration.ofSeconds(5), 2)));
        JsonRpcClient rpc = new JsonRpcClient(node.endpoint(), Duration.ofSeconds(5), 2);
        NodeReplies replies = new NodeReplies(rpc);
        ExtrinsicSubmitter submitter = new ExtrinsicSubmitter(
                rpc, replies, replies.hash32(rpc.call("chain_getBlockHash", 0), "genesis"), 64, Duration.ofSeconds(10));
        long revealBlock =
                RevealSchedule.stateful(node.epochState(), node.current(), 1).revealBlock();
        long round = (long) Math.floor((T0 + (revealBlock + 3) * 12 - Quicknet.GENESIS) / 3.0);
        byte[] foreign = TimelockEncryption.encrypt(
                WeightCommits.timelockPayload(hotkey(2).publicKey(), List.of(1), List.of(5), 0),
                round,
                beacon.publicKey(),
                new SecureRandom());
        submitter.submit(runtimes.current(), timelockedCall(foreign, round, 4), hotkey(1), "commit");
        assertThatThrownBy(
                        () -> submitter.submit(runtimes.current(), timelockedCall(foreign, 3, 4), hotkey(1), "commit"))
                .hasMessageContaining("Custom error: 15");
        node.advance(5);
        submitter.submit(runtimes.current(), timelockedCall(foreign, round, 3), hotkey(1), "commit");
        assertThat(node.dispatchErrors()).containsExactly("IncorrectCommitRevealVersion");
        // hash scheme by hand: a reveal in the commit's own epoch is refused by the pool (Custom 17), one
        // without a commit (16)
        List<Integer> salt = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        byte[] hash = WeightCommits.commitHash(hotkey(1).publicKey(), NETUID, 0, List.of(1), List.of(5), salt, 0);
        assertThatThrownBy(() ->
                        submitter.submit(runtimes.current(), reveal(List.of(1), List.of(5), salt), hotkey(1), "reveal"))
                .hasMessageContaining("Custom error: 16");
        node.advance(5);
        submitter.submit(
                runtimes.current(),
                new Scale.Writer().u8(7).u8(96).u16(NETUID).bytes(hash).toByteArray(),
                hotkey(1),
                "commit");
        assertThatThrownBy(() ->
                        submitter.submit(runtimes.current(), reveal(List.of(1), List.of(5), salt), hotkey(1), "reveal"))
                .hasMessageContaining("Custom error: 17");
        node.advance(25);
        assertThat(node.reveals()).containsExactly("dropped: the payload's hotkey is not the committer");
        assertThat(node.weightsOf(0)).isEmpty();
        rpc.close();
        chain.close();
    }

    private static byte[] reveal(List<Integer> uids, List<Integer> values, List<Integer> salt) {
        Scale.Writer w = new Scale.Writer().u8(7).u8(97).u16(NETUID);
        for (List<Integer> list : List.of(uids, values, salt)) {
            w.compact(list.size());
            list.forEach(w::u16);
        }
        return w.u64(0).toByteArray();
    }

    private static byte[] timelockedCall(byte[] commit, long round, int version) {
        return new Scale.Writer()
                .u8(7)
                .u8(118)
                .u16(NETUID)
                .u8(0)
                .compact(commit.length)
                .bytes(commit)
                .u64(round)
                .u16(version)
                .toByteArray();
    }

    private String pending() {
        try {
            Path file = dir.resolve("weight-commits.json");
            return Files.exists(file) ? Files.readString(file).trim() : "(none)";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Hotkey hotkey(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }
}
