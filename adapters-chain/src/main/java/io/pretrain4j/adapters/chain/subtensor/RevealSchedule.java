package io.pretrain4j.adapters.chain.subtensor;

/**
 * When timelocked weights are revealed, and so which drand round they are encrypted to
 * (COMMIT_REVEAL.md 3.5): the stateful epoch schedule of subtensor since spec 423, simulated block by
 * block from the subnet's state at the head, and the legacy modulo formula of earlier runtimes. Part of
 * issue 21 (first slice); checked against the spec's worked example and bittensor-drand's vectors.
 */
final class RevealSchedule {
    /** drand quicknet's genesis time (s) and period (s); subtensor's target block time (s). */
    static final long QUICKNET_GENESIS = 1_692_803_367L;

    static final long QUICKNET_PERIOD = 3;
    static final double BLOCK_SECONDS = 12.0;
    /** An epoch runs anyway once this many blocks passed without one (run_coinbase.rs). */
    static final long MAX_BLOCKS_WITHOUT_EPOCH = 50_400;

    private RevealSchedule() {}

    /**
     * A subnet's epoch state at one head block (SubtensorModule storage, Identity(netuid)).
     *
     * @param lastEpochBlock {@code LastEpochBlock}
     * @param pendingEpochAt {@code PendingEpochAt} (0: none)
     * @param epochIndex {@code SubnetEpochIndex}
     * @param blocksSinceLastStep {@code BlocksSinceLastStep}
     * @param tempo {@code Tempo}
     */
    record EpochState(long lastEpochBlock, long pendingEpochAt, long epochIndex, long blocksSinceLastStep, int tempo) {}

    /**
     * The commit's epoch and the block its reveal epoch begins, for an extrinsic in {@code head + 1}.
     *
     * @param commitEpoch the epoch the commit is filed under
     * @param revealBlock the first block of epoch {@code commitEpoch + period}
     */
    record Prediction(long commitEpoch, long revealBlock) {}

    /** The stateful schedule: epochs fire on a pending request, after 50,400 idle blocks, or a tempo after the last. */
    static Prediction stateful(EpochState state, long head, int revealPeriodEpochs) {
        if (state.tempo() <= 0) {
            throw new IllegalArgumentException("tempo 0: the subnet runs no epochs, so commits are never revealed");
        }
        if (revealPeriodEpochs < 1) {
            throw new IllegalArgumentException("reveal period must be at least one epoch, got " + revealPeriodEpochs);
        }
        long last = state.lastEpochBlock();
        long pending = state.pendingEpochAt();
        long index = state.epochIndex();
        long idle = state.blocksSinceLastStep();
        long commitEpoch = -1;
        long limit =
                head + (long) (revealPeriodEpochs + 2) * Math.max(state.tempo() + 1L, MAX_BLOCKS_WITHOUT_EPOCH + 2);
        for (long block = head + 1; block <= limit; block++) {
            idle++;
            if (fires(block, last, pending, idle, state.tempo())) {
                last = block;
                pending = 0;
                index++;
                idle = 0;
            }
            if (commitEpoch < 0) {
                commitEpoch = index;
            } else if (index == commitEpoch + revealPeriodEpochs) {
                return new Prediction(commitEpoch, block);
            }
        }
        throw new IllegalStateException("no reveal epoch within " + (limit - head) + " blocks of " + head);
    }

    /** The lookahead epoch of {@code block}, the block right after the head the state was read at: {@code index + (fires ? 1 : 0)}. */
    static long epochAt(EpochState state, long block) {
        boolean fires = fires(
                block, state.lastEpochBlock(), state.pendingEpochAt(), state.blocksSinceLastStep() + 1, state.tempo());
        return state.epochIndex() + (fires ? 1 : 0);
    }

    /**
     * subtensor's should_run_epoch for {@code block}: a pending request, 50,400 idle blocks (counting this one), or a
     * tempo since the last.
     */
    private static boolean fires(long block, long lastEpochBlock, long pendingEpochAt, long idleBlocks, int tempo) {
        return tempo > 0
                && ((pendingEpochAt > 0 && block >= pendingEpochAt)
                        || idleBlocks > MAX_BLOCKS_WITHOUT_EPOCH
                        || block - lastEpochBlock >= tempo);
    }

    /** The legacy formula (runtimes before spec 423; bittensor-drand 1's generate_commit): epochs every tempo + 1 blocks. */
    static Prediction legacy(long head, int netuid, int tempo, int revealPeriodEpochs) {
        long epoch = (head + netuid + 1) / (tempo + 1L);
        return new Prediction(epoch, (epoch + revealPeriodEpochs) * (tempo + 1L) - (netuid + 1L));
    }

    /**
     * The drand round whose pulse will exist when the reveal block is produced, as the SDK computes
     * it: {@code max(1, floor((now + (revealBlock + 3 - head) * 12 - genesis) / 3))}.
     */
    static long revealRound(long revealBlock, long head, double nowSeconds) {
        double at = nowSeconds + (revealBlock + 3 - head) * BLOCK_SECONDS;
        return Math.max(1, (long) Math.floor((at - QUICKNET_GENESIS) / QUICKNET_PERIOD));
    }
}
