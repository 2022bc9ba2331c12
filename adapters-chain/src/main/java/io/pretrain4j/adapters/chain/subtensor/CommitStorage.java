package io.pretrain4j.adapters.chain.subtensor;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What commit-reveal reads from a subnet's storage, by the types the runtime declares: its epoch
 * rules at the head ({@code Tempo}, {@code RevealPeriodEpochs}, the stateful schedule's state), the
 * hotkey's queued hash commits ({@code WeightCommits}) and the timelocked commits of an epoch
 * ({@code TimelockedWeightCommits}).
 */
final class CommitStorage {
    private final int netuid;
    private final NodeReplies replies;

    CommitStorage(int netuid, NodeReplies replies) {
        this.netuid = netuid;
        this.replies = replies;
    }

    /** The epoch under which the chain stored this exact commit, looked for at the predicted epoch and the next. */
    Optional<Long> findTimelocked(RuntimeMetadata metadata, byte[] account, byte[] commit, long epoch) {
        int index = WeightCommits.netuidIndex(netuid, 0);
        for (long e = epoch; e <= epoch + 1; e++) {
            byte[] raw = replies.storage(StorageKeys.entry(
                    "SubtensorModule",
                    "TimelockedWeightCommits",
                    StorageKeys.twox64Concat(u16(index)),
                    StorageKeys.twox64Concat(new Scale.Writer().u64(e).toByteArray())));
            String what = "TimelockedWeightCommits of epoch " + e;
            for (Object item : Values.list(
                    metadata.value("SubtensorModule", "TimelockedWeightCommits", raw, what)
                            .orElse(List.of()),
                    what)) {
                List<?> tuple = Values.list(item, what + " entry");
                if (tuple.size() == 4
                        && Arrays.equals(Values.bytes(tuple.get(0), what + " account"), account)
                        && Arrays.equals(Values.bytes(tuple.get(2), what + " commit"), commit)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** The hotkey's queued hash commits: {@code VecDeque<(H256, commit_epoch, commit_block, _)>}. */
    List<?> weightCommits(RuntimeMetadata metadata, byte[] account) {
        int index = WeightCommits.netuidIndex(netuid, 0);
        byte[] raw = replies.storage(StorageKeys.entry(
                "SubtensorModule",
                "WeightCommits",
                StorageKeys.twox64Concat(u16(index)),
                StorageKeys.twox64Concat(account)));
        return Values.list(
                metadata.value("SubtensorModule", "WeightCommits", raw, "WeightCommits")
                        .orElse(List.of()),
                "WeightCommits");
    }

    Optional<Long> storedEpoch(RuntimeMetadata metadata, byte[] account, byte[] hash) {
        for (Object item : weightCommits(metadata, account)) {
            List<?> tuple = Values.list(item, "a WeightCommits entry");
            if (tuple.size() >= 2 && Arrays.equals(Values.bytes(tuple.get(0), "a commit hash"), hash)) {
                return Optional.of(Values.integer(tuple.get(1), "a commit epoch"));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- epochs

    /**
     * The subnet's epoch rules at the head: the stateful schedule where the runtime has {@code SubnetEpochIndex}, else
     * the legacy formula.
     */
    Epochs epochs(RuntimeMetadata metadata) {
        int tempo = (int) u64(metadata, "Tempo", StorageKeys.entry("SubtensorModule", "Tempo", u16(netuid)));
        int period = metadata.hasStorage("SubtensorModule", "RevealPeriodEpochs")
                ? (int) u64(
                        metadata,
                        "RevealPeriodEpochs",
                        StorageKeys.entry(
                                "SubtensorModule", "RevealPeriodEpochs", StorageKeys.twox64Concat(u16(netuid))))
                : 1;
        if (tempo <= 0) {
            throw replies.unavailable(
                    "netuid " + netuid + " has tempo 0: it runs no epochs, so a weight commit would never be revealed");
        }
        if (period < 1 || period > 100) {
            throw replies.unavailable("netuid " + netuid + " has RevealPeriodEpochs " + period + ", outside 1..100");
        }
        if (!metadata.hasStorage("SubtensorModule", "SubnetEpochIndex")) {
            return new Epochs(null, tempo, period, netuid);
        }
        RevealSchedule.EpochState state = new RevealSchedule.EpochState(
                u64(metadata, "LastEpochBlock", StorageKeys.entry("SubtensorModule", "LastEpochBlock", u16(netuid))),
                u64(metadata, "PendingEpochAt", StorageKeys.entry("SubtensorModule", "PendingEpochAt", u16(netuid))),
                u64(
                        metadata,
                        "SubnetEpochIndex",
                        StorageKeys.entry("SubtensorModule", "SubnetEpochIndex", u16(netuid))),
                u64(
                        metadata,
                        "BlocksSinceLastStep",
                        StorageKeys.entry("SubtensorModule", "BlocksSinceLastStep", u16(netuid))),
                tempo);
        return new Epochs(state, tempo, period, netuid);
    }

    /** Epoch arithmetic for one subnet at one head: stateful ({@code state} set) or legacy. */
    record Epochs(RevealSchedule.EpochState state, int tempo, int period, int netuid) {
        RevealSchedule.Prediction predict(long head) {
            return state == null
                    ? RevealSchedule.legacy(head, netuid, tempo, period)
                    : RevealSchedule.stateful(state, head, period);
        }

        /** The lookahead epoch an extrinsic in {@code head + 1} sees. */
        long epochOfNextBlock(long head) {
            return state == null ? (head + 1 + netuid + 1) / (tempo + 1L) : RevealSchedule.epochAt(state, head + 1);
        }
    }

    long u64(RuntimeMetadata metadata, String item, byte[] key) {
        return u64(metadata, item, key, "SubtensorModule");
    }

    long u64(RuntimeMetadata metadata, String item, byte[] key, String pallet) {
        return metadata.value(pallet, item, replies.storage(key), item)
                .map(v -> Values.integer(v, item))
                .orElse(0L);
    }

    static byte[] u16(int value) {
        return new Scale.Writer().u16(value).toByteArray();
    }
}
