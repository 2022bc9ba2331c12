package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.crypto.timelock.Quicknet;
import io.pretrain4j.crypto.timelock.TimelockEncryption;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Hotkey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Weights on a subnet with commit-reveal on (COMMIT_REVEAL.md): which scheme the chain wants, read
 * from the runtime at each write; timelocked commits (CRv4: the payload encrypted to the drand round
 * of the reveal epoch, revealed by the chain itself) and hash commits (CRv2: BLAKE2b of the weights
 * and a salt, revealed by us in the reveal epoch). Pending commits are kept in {@link PendingCommits};
 * {@link #followUp} reveals hash commits when their epoch comes and confirms that timelocked ones landed.
 * Never falls back to plain weights on a subnet with commit-reveal on.
 */
final class CommitReveal {
    private static final System.Logger LOG = System.getLogger(CommitReveal.class.getName());
    private static final HexFormat HEX = HexFormat.of();
    /** The chain refuses a commit while this many are unrevealed (TooManyUnrevealedCommits). */
    static final int MAX_UNREVEALED = 10;
    /** The commit's bound (BoundedVec<u8, 5000>). */
    static final int MAX_COMMIT_BYTES = 5000;
    /** Salt length the Python SDK uses (u16s). */
    static final int SALT_LENGTH = 8;
    /** The CRv4 commit-reveal version this client sends. */
    static final int TIMELOCK_VERSION = 4;

    /** Which commit-reveal scheme to use when the subnet has it on. */
    enum Mode {
        /** What the runtime asks for: timelocked commits (version 4). */
        AUTO,
        /** Hash commits, revealed by this validator (the operator's choice; the chain still accepts them). */
        HASH
    }

    /** How weights go to the chain now. */
    enum Scheme {
        PLAIN,
        TIMELOCK,
        HASH
    }

    /**
     * @param mode the operator's choice
     * @param stateFile where pending commits are kept (null: memory only; the hash scheme then cannot survive a restart)
     * @param nowSeconds the local clock (Unix seconds), for the drand round
     * @param beaconKey the drand group key (quicknet's; another only in tests)
     */
    record Settings(Mode mode, Path stateFile, DoubleSupplier nowSeconds, byte[] beaconKey, SecureRandom random) {
        static Settings defaults(Mode mode, Path stateFile) {
            return new Settings(
                    mode,
                    stateFile,
                    () -> System.currentTimeMillis() / 1000.0,
                    HEX.parseHex(Quicknet.PUBLIC_KEY),
                    new SecureRandom());
        }
    }

    private final int netuid;
    private final NodeReplies replies;
    private final RuntimeTracker runtimes;
    private final ExtrinsicSubmitter submitter;
    private final Settings settings;
    private final PendingCommits pending;
    private final LongSupplier head;
    private final CommitStorage storage;

    private final CommitFollowUp followUp;

    CommitReveal(
            int netuid,
            NodeReplies replies,
            RuntimeTracker runtimes,
            ExtrinsicSubmitter submitter,
            Settings settings,
            LongSupplier head) {
        this.netuid = netuid;
        this.replies = replies;
        this.runtimes = runtimes;
        this.submitter = submitter;
        this.settings = settings;
        this.head = head;
        this.storage = new CommitStorage(netuid, replies);
        this.pending = new PendingCommits(settings.stateFile());
        this.followUp = new CommitFollowUp(netuid, replies, runtimes, submitter, pending, head, storage);
        if (!pending.isEmpty()) {
            LOG.log(
                    INFO,
                    "{0} weight commit(s) pending from before the restart ({1}); they are revealed or confirmed when due",
                    pending.all().size(),
                    settings.stateFile());
        }
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    // ---------------------------------------------------------------- detection

    /** The scheme the subnet wants now, or an error naming what the chain asks for that this client does not send. */
    Scheme scheme(RuntimeMetadata metadata) {
        byte[] raw = replies.storage(
                StorageKeys.entry("SubtensorModule", "CommitRevealWeightsEnabled", CommitStorage.u16(netuid)));
        boolean enabled = metadata.value(
                        "SubtensorModule", "CommitRevealWeightsEnabled", raw, "CommitRevealWeightsEnabled")
                .map(v -> Values.bool(v, "CommitRevealWeightsEnabled"))
                .orElse(false);
        if (!enabled) {
            return Scheme.PLAIN;
        }
        String why = raw == null
                ? " (CommitRevealWeightsEnabled is unset, and the runtime's default is true)"
                : " (CommitRevealWeightsEnabled = true)";
        if (settings.mode() == Mode.HASH) {
            for (String call : List.of("commit_weights", "reveal_weights")) {
                if (!metadata.hasCall("SubtensorModule", call)) {
                    throw replies.unavailable("netuid " + netuid + " has commit-reveal on" + why
                            + " and commit-reveal = hash is configured, but this " + "runtime has no SubtensorModule."
                            + call + "; use commit-reveal = auto (timelocked commits)");
                }
            }
            return Scheme.HASH;
        }
        long version = metadata.hasStorage("SubtensorModule", "CommitRevealWeightsVersion")
                ? storage.u64(
                        metadata,
                        "CommitRevealWeightsVersion",
                        StorageKeys.prefix("SubtensorModule", "CommitRevealWeightsVersion"))
                : -1;
        if (version != TIMELOCK_VERSION) {
            throw replies.unavailable("netuid " + netuid + " has commit-reveal weights on" + why
                    + " and the runtime wants commit-reveal version "
                    + (version < 0 ? "(none declared: no CommitRevealWeightsVersion)" : Long.toString(version))
                    + "; pretrain4j sends version "
                    + TIMELOCK_VERSION
                    + " (drand-timelocked) or, with commit-reveal = hash, hash commits. Plain set_weights is refused "
                    + "on such a subnet, so no weights were sent");
        }
        if (!metadata.hasCall("SubtensorModule", "commit_timelocked_mechanism_weights")
                && !metadata.hasCall("SubtensorModule", "commit_timelocked_weights")) {
            throw replies.unavailable(
                    "netuid " + netuid + " has commit-reveal version 4 on" + why + ", but this runtime offers neither "
                            + "commit_timelocked_mechanism_weights nor commit_timelocked_weights");
        }
        return Scheme.TIMELOCK;
    }

    // ---------------------------------------------------------------- timelocked commits (CRv4)

    long commitTimelocked(
            RuntimeTracker.Runtime runtime, Hotkey hotkey, List<Integer> uids, List<Integer> values, long versionKey) {
        RuntimeMetadata metadata = runtime.metadata();
        long now = head.getAsLong();
        CommitStorage.Epochs epochs = storage.epochs(metadata);
        RevealSchedule.Prediction prediction = epochs.predict(now);
        byte[] payload = WeightCommits.timelockPayload(hotkey.publicKey(), uids, values, versionKey);
        boolean mechanism = metadata.hasCall("SubtensorModule", "commit_timelocked_mechanism_weights");
        String name = mechanism ? "commit_timelocked_mechanism_weights" : "commit_timelocked_weights";
        int[] index = metadata.call("SubtensorModule", name);
        for (int attempt = 0; ; attempt++) {
            long round = revealRound(metadata, prediction, now);
            byte[] commit = TimelockEncryption.encrypt(payload, round, settings.beaconKey(), settings.random());
            if (commit.length > MAX_COMMIT_BYTES) {
                throw new Pretrain4jException(
                        ChainErrorCode.INVALID_WEIGHTS,
                        uids.size() + " uids make a " + commit.length
                                + "-byte timelocked commit; the chain takes at most " + MAX_COMMIT_BYTES
                                + " (about 1,177 uids)");
            }
            Scale.Writer call = new Scale.Writer().u8(index[0]).u8(index[1]).u16(netuid);
            if (mechanism) {
                call.u8(0);
            }
            call.compact(commit.length).bytes(commit).u64(round).u16(TIMELOCK_VERSION);
            String hash = HEX.formatHex(StorageKeys.blake2b(commit, 32));
            PendingCommits.Entry entry = new PendingCommits.Entry(
                    PendingCommits.Kind.TIMELOCK,
                    PendingCommits.Status.PREPARED,
                    hotkey.ss58Address(),
                    netuid,
                    uids,
                    values,
                    List.of(),
                    versionKey,
                    hash,
                    now,
                    0,
                    prediction.commitEpoch(),
                    prediction.commitEpoch() + epochs.period(),
                    prediction.revealBlock(),
                    round);
            pending.add(entry);
            long block;
            try {
                block = submitter.submit(runtime, call.toByteArray(), hotkey, name);
            } catch (RuntimeException e) {
                pending.remove(entry);
                if (attempt == 0 && String.valueOf(e.getMessage()).contains("Custom error: 15")) {
                    // the pool says the round is older than the latest stored pulse (one arrived since we read
                    // it): once more, later
                    LOG.log(
                            WARNING,
                            "The chain refused drand round {0} as already past (a newer pulse arrived); computing the round again",
                            round);
                    continue;
                }
                throw e;
            }
            long epoch = storage.findTimelocked(metadata, hotkey.publicKey(), commit, prediction.commitEpoch())
                    .orElseThrow(() -> replies.unavailable(name + " of " + hotkey.ss58Address()
                            + " was included in block " + block + " but no such commit is stored under epoch "
                            + prediction.commitEpoch() + " (or the next); the chain refused it on dispatch"));
            long revealEpoch = epoch + epochs.period();
            long revealBlock = epoch == prediction.commitEpoch()
                    ? prediction.revealBlock()
                    : epochs.predict(block).revealBlock();
            pending.replace(entry, entry.committed(block, epoch, revealEpoch, revealBlock));
            LOG.log(
                    INFO,
                    "Committed timelocked weights ({0} uids) at block {1}, epoch {2}; the chain reveals them in epoch {3} (from about "
                            + "block {4}) with drand round {5}, published at {6}",
                    uids.size(),
                    block,
                    epoch,
                    revealEpoch,
                    revealBlock,
                    round,
                    Instant.ofEpochSecond(Quicknet.roundTime(round)));
            return block;
        }
    }

    /**
     * The SDK's reveal round for the predicted reveal block, from the local clock; where the chain
     * already stored that round's pulse (the clock is behind drand's), from the latest pulse's time.
     */
    private long revealRound(RuntimeMetadata metadata, RevealSchedule.Prediction prediction, long now) {
        double clock = settings.nowSeconds().getAsDouble();
        long round = RevealSchedule.revealRound(prediction.revealBlock(), now, clock);
        if (!metadata.hasStorage("Drand", "LastStoredRound")) {
            return round;
        }
        long stored = storage.u64(metadata, "LastStoredRound", StorageKeys.prefix("Drand", "LastStoredRound"), "Drand");
        if (stored > 0 && round <= stored) {
            double chainTime = Quicknet.roundTime(stored);
            LOG.log(
                    WARNING,
                    "The local clock ({0}) is behind the chain''s latest drand pulse (round {1}, {2}); the reveal round is "
                            + "computed from the pulse''s time instead",
                    Instant.ofEpochMilli((long) (clock * 1000)),
                    stored,
                    Instant.ofEpochSecond(chainTime > 0 ? (long) chainTime : 0));
            round = RevealSchedule.revealRound(
                    prediction.revealBlock(), now, Math.max(clock, chainTime + Quicknet.PERIOD));
        }
        return round;
    }

    // ---------------------------------------------------------------- hash commits (CRv2)

    long commitHash(
            RuntimeTracker.Runtime runtime, Hotkey hotkey, List<Integer> uids, List<Integer> values, long versionKey) {
        if (settings.stateFile() == null) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "commit-reveal = hash needs a state-dir (the validator gives its "
                            + "state-dir + /subtensor unless the chain's section names one): the salt of every commit "
                            + "must survive a restart to be revealed; no weights were sent");
        }
        RuntimeMetadata metadata = runtime.metadata();
        List<?> unrevealed = storage.weightCommits(metadata, hotkey.publicKey());
        if (unrevealed.size() >= MAX_UNREVEALED) {
            throw new Pretrain4jException(
                    ChainErrorCode.RATE_LIMITED,
                    hotkey.ss58Address() + " has " + unrevealed.size() + " unrevealed weight commits on netuid "
                            + netuid + "; the chain takes no more until one is revealed or expires");
        }
        long now = head.getAsLong();
        CommitStorage.Epochs epochs = storage.epochs(metadata);
        RevealSchedule.Prediction prediction = epochs.predict(now);
        List<Integer> salt = new ArrayList<>();
        for (int i = 0; i < SALT_LENGTH; i++) {
            salt.add(settings.random().nextInt(0x10000));
        }
        byte[] hash = WeightCommits.commitHash(hotkey.publicKey(), netuid, 0, uids, values, salt, versionKey);
        PendingCommits.Entry entry = new PendingCommits.Entry(
                PendingCommits.Kind.HASH,
                PendingCommits.Status.PREPARED,
                hotkey.ss58Address(),
                netuid,
                uids,
                values,
                salt,
                versionKey,
                HEX.formatHex(hash),
                now,
                0,
                prediction.commitEpoch(),
                prediction.commitEpoch() + epochs.period(),
                prediction.revealBlock(),
                0);
        // the salt is on disk before the commit leaves: a restart after this point can still reveal
        pending.add(entry);
        int[] index = metadata.call("SubtensorModule", "commit_weights");
        byte[] call = new Scale.Writer()
                .u8(index[0])
                .u8(index[1])
                .u16(netuid)
                .bytes(hash)
                .toByteArray();
        long block;
        try {
            block = submitter.submit(runtime, call, hotkey, "commit_weights");
        } catch (RuntimeException e) {
            // refused or not included: nothing to reveal (a commit that landed after all is found again
            // at the next start)
            if (storage.storedEpoch(metadata, hotkey.publicKey(), hash).isEmpty()) {
                pending.remove(entry);
            }
            throw e;
        }
        long epoch = storage.storedEpoch(metadata, hotkey.publicKey(), hash).orElseThrow(() -> {
            pending.remove(entry);
            return replies.unavailable("commit_weights of " + hotkey.ss58Address() + " was included in block " + block
                    + " but the commit is not stored; the chain refused it on dispatch");
        });
        long revealBlock = epoch == prediction.commitEpoch()
                ? prediction.revealBlock()
                : epochs.predict(block).revealBlock();
        pending.replace(entry, entry.committed(block, epoch, epoch + epochs.period(), revealBlock));
        LOG.log(
                INFO,
                "Committed the hash of weights ({0} uids) at block {1}, epoch {2}; revealing in epoch {3} (from about block {4})",
                uids.size(),
                block,
                epoch,
                epoch + epochs.period(),
                revealBlock);
        return block;
    }

    /**
     * Reveals the hash commits whose epoch has come, drops expired ones, resolves commits a crash left
     * {@code PREPARED} and confirms timelocked commits ({@link CommitFollowUp}).
     *
     * @param signer the hotkey reveals are signed with (commits of other hotkeys are left alone)
     */
    void followUp(Hotkey signer) {
        followUp.run(signer);
    }

    static void u16s(Scale.Writer writer, List<Integer> items) {
        writer.compact(items.size());
        items.forEach(writer::u16);
    }
}
