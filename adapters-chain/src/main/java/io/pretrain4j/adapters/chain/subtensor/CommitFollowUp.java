package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.ports.chain.Hotkey;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What happens to weight commits after they were sent ({@link CommitReveal}): hash commits are revealed in
 * their reveal epoch, expired ones dropped, commits a crash left {@code PREPARED} looked up on chain, and
 * timelocked commits confirmed once the chain revealed them. Runs on the adapter's follow-up thread and
 * at each weights write; failures are logged and tried again at the next call.
 */
final class CommitFollowUp {
    private static final System.Logger LOG = System.getLogger(CommitReveal.class.getName());
    private static final HexFormat HEX = HexFormat.of();

    private final int netuid;
    private final NodeReplies replies;
    private final RuntimeTracker runtimes;
    private final ExtrinsicSubmitter submitter;
    private final PendingCommits pending;
    private final LongSupplier head;
    private final CommitStorage storage;
    /** The head and the commits' change count at the last complete follow-up. */
    private long followedUpAt = -1;

    private long followedUpChanges = -1;

    CommitFollowUp(
            int netuid,
            NodeReplies replies,
            RuntimeTracker runtimes,
            ExtrinsicSubmitter submitter,
            PendingCommits pending,
            LongSupplier head,
            CommitStorage storage) {
        this.netuid = netuid;
        this.replies = replies;
        this.runtimes = runtimes;
        this.submitter = submitter;
        this.pending = pending;
        this.head = head;
        this.storage = storage;
    }

    /**
     * Reveals the hash commits whose epoch has come, drops expired ones, resolves commits a crash
     * left {@code PREPARED}, and confirms timelocked commits once their reveal epoch began. Failures
     * are logged and retried at the next call; this never throws for one commit's sake.
     *
     * @param signer the hotkey reveals are signed with (commits of other hotkeys are left alone)
     */
    void run(Hotkey signer) {
        if (pending.isEmpty()) {
            return;
        }
        long now = head.getAsLong();
        long changes = pending.changes();
        if (now == followedUpAt && changes == followedUpChanges) {
            return; // nothing new since the last look: same block, same commits
        }
        RuntimeTracker.Runtime runtime = runtimes.current();
        RuntimeMetadata metadata = runtime.metadata();
        CommitStorage.Epochs epochs = storage.epochs(metadata);
        boolean failed = false;
        for (PendingCommits.Entry entry : pending.all()) {
            if (signer == null || !entry.hotkey().equals(signer.ss58Address())) {
                failed = true; // not ours to handle yet (no signer named): look again
                continue;
            }
            try {
                if (entry.status() == PendingCommits.Status.PREPARED) {
                    resolvePrepared(metadata, entry, epochs);
                } else if (entry.kind() == PendingCommits.Kind.HASH) {
                    revealIfDue(runtime, signer, entry, epochs, now);
                } else {
                    confirmTimelocked(metadata, entry, epochs, now);
                }
            } catch (RuntimeException e) {
                LOG.log(
                        WARNING,
                        "Following up the weight commit of block {0} failed (tried again later): {1}",
                        entry.commitBlock(),
                        e.getMessage());
                failed = true;
            }
        }
        if (!failed) {
            // the count from before this pass: a pass that changed something (resolved, revealed)
            // is followed by another
            followedUpAt = now;
            followedUpChanges = changes;
        }
    }

    private void resolvePrepared(RuntimeMetadata metadata, PendingCommits.Entry entry, CommitStorage.Epochs epochs) {
        byte[] account = Ss58.decode(entry.hotkey()).orElseThrow();
        if (entry.kind() == PendingCommits.Kind.HASH) {
            Optional<Long> epoch = storage.storedEpoch(metadata, account, HEX.parseHex(entry.hash()));
            if (epoch.isPresent()) {
                pending.replace(
                        entry,
                        entry.committed(
                                entry.preparedAtBlock() + 1,
                                epoch.get(),
                                epoch.get() + epochs.period(),
                                epochs.predict(entry.preparedAtBlock()).revealBlock()));
                LOG.log(
                        INFO,
                        "The hash commit sent before the restart is on chain (epoch {0}); it is revealed in epoch {1}",
                        epoch.get(),
                        epoch.get() + epochs.period());
            } else {
                pending.remove(entry);
                LOG.log(
                        INFO,
                        "The hash commit prepared before the restart never reached the chain; it is dropped, not revealed");
            }
        } else {
            // a timelocked commit needs no reveal from us; whether it landed shows in the weights after its epoch
            pending.replace(
                    entry,
                    entry.committed(
                            entry.preparedAtBlock() + 1,
                            entry.commitEpoch(),
                            entry.revealEpoch(),
                            entry.revealBlock()));
        }
    }

    private void revealIfDue(
            RuntimeTracker.Runtime runtime,
            Hotkey signer,
            PendingCommits.Entry entry,
            CommitStorage.Epochs epochs,
            long now) {
        long epoch = epochs.epochOfNextBlock(now);
        if (epoch < entry.revealEpoch()) {
            return;
        }
        if (epoch > entry.revealEpoch()) {
            pending.remove(entry);
            LOG.log(
                    WARNING,
                    "The hash commit of block {0} expired unrevealed: its reveal epoch {1} is over (now epoch {2}); those weights "
                            + "never took effect",
                    entry.commitBlock(),
                    entry.revealEpoch(),
                    epoch);
            return;
        }
        if (signer == null) {
            return;
        }
        RuntimeMetadata metadata = runtime.metadata();
        int[] index = metadata.call("SubtensorModule", "reveal_weights");
        Scale.Writer call = new Scale.Writer().u8(index[0]).u8(index[1]).u16(netuid);
        CommitReveal.u16s(call, entry.uids());
        CommitReveal.u16s(call, entry.values());
        CommitReveal.u16s(call, entry.salt());
        call.u64(entry.versionKey());
        long block = submitter.submit(runtime, call.toByteArray(), signer, "reveal_weights");
        boolean stillQueued = storage.storedEpoch(metadata, signer.publicKey(), HEX.parseHex(entry.hash()))
                .isPresent();
        if (stillQueued) {
            throw replies.unavailable("reveal_weights was included in block " + block
                    + " but the commit is still queued; the chain refused " + "it on dispatch");
        }
        pending.remove(entry);
        LOG.log(
                INFO,
                "Revealed the weights committed at block {0} ({1} uids) at block {2}, epoch {3}",
                entry.commitBlock(),
                entry.uids().size(),
                block,
                epoch);
    }

    private void confirmTimelocked(
            RuntimeMetadata metadata, PendingCommits.Entry entry, CommitStorage.Epochs epochs, long now) {
        long epoch = epochs.epochOfNextBlock(now);
        if (epoch <= entry.revealEpoch() - 1 || now < entry.revealBlock()) {
            return;
        }
        byte[] account = Ss58.decode(entry.hotkey()).orElseThrow();
        Optional<Integer> uid = metadata.value(
                        "SubtensorModule",
                        "Uids",
                        replies.storage(StorageKeys.entry(
                                "SubtensorModule",
                                "Uids",
                                CommitStorage.u16(netuid),
                                StorageKeys.blake2128Concat(account))),
                        "Uids")
                .map(v -> (int) Values.integer(v, "Uids"));
        long lastUpdate = -1;
        if (uid.isPresent()) {
            byte[] raw = replies.storage(StorageKeys.entry("SubtensorModule", "LastUpdate", CommitStorage.u16(netuid)));
            List<?> items = Values.list(
                    metadata.value("SubtensorModule", "LastUpdate", raw, "LastUpdate")
                            .orElse(List.of()),
                    "LastUpdate");
            lastUpdate = uid.get() < items.size() ? Values.integer(items.get(uid.get()), "LastUpdate") : -1;
        }
        if (lastUpdate > entry.commitBlock()) {
            pending.remove(entry);
            LOG.log(
                    INFO,
                    "The chain revealed the timelocked weights committed at block {0}: uid {1}''s weights were set at block {2} "
                            + "(reveal epoch {3}, drand round {4})",
                    entry.commitBlock(),
                    uid.get(),
                    lastUpdate,
                    entry.revealEpoch(),
                    entry.round());
        } else if (epoch > entry.revealEpoch()) {
            pending.remove(entry);
            LOG.log(
                    WARNING,
                    "The timelocked weights committed at block {0} were not revealed during epoch {1} (drand round {2} was not on "
                            + "chain in time, or the commit did not decrypt); they never took effect",
                    entry.commitBlock(),
                    entry.revealEpoch(),
                    entry.round());
        }
    }
}
