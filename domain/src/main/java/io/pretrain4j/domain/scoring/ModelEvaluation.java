package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Arrays;

/**
 * One model's result in a scoring step.
 *
 * @param uid the miner's uid
 * @param score the weighted mean loss over the step's tasks; lower is better. NaN is read as
 *     {@code +inf} (a failed evaluation), as a NaN loss must never win.
 * @param block the block the model was committed at ({@link #UNKNOWN_BLOCK} when the chain has no
 *     metadata, like the reference's {@code inf}); the wandb-era policy puts the upload time in
 *     epoch seconds here
 * @param batchLosses per-batch mean losses, used only by policies that count wins per batch
 */
public record ModelEvaluation(int uid, double score, long block, double[] batchLosses) {
    /** The reference's {@code block = inf} for a uid without metadata. */
    public static final long UNKNOWN_BLOCK = Long.MAX_VALUE;

    public ModelEvaluation {
        if (uid < 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_SCORING_INPUT, "uid must be >= 0, got " + uid);
        }
        if (block < 0) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCORING_INPUT, "uid " + uid + ": block must be >= 0, got " + block);
        }
        score = Double.isNaN(score) ? Double.POSITIVE_INFINITY : score;
        batchLosses = batchLosses.clone();
        for (int i = 0; i < batchLosses.length; i++) {
            if (Double.isNaN(batchLosses[i])) {
                batchLosses[i] = Double.POSITIVE_INFINITY;
            }
        }
    }

    /** A model scored by its mean loss alone. */
    public static ModelEvaluation of(int uid, double score, long block) {
        return new ModelEvaluation(uid, score, block, new double[0]);
    }

    @Override
    public double[] batchLosses() {
        return batchLosses.clone();
    }

    double batchLoss(int index) {
        return batchLosses[index];
    }

    int batchCount() {
        return batchLosses.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelEvaluation other
                && uid == other.uid
                && Double.compare(score, other.score) == 0
                && block == other.block
                && Arrays.equals(batchLosses, other.batchLosses);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * uid + Double.hashCode(score)) + Long.hashCode(block)) + Arrays.hashCode(batchLosses);
    }

    @Override
    public String toString() {
        return "ModelEvaluation[uid=" + uid + ", score=" + score + ", block=" + block + ", batches="
                + batchLosses.length + "]";
    }
}
