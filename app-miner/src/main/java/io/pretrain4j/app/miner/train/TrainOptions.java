package io.pretrain4j.app.miner.train;

import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.ports.training.LearningRateSchedule;
import io.pretrain4j.ports.training.TrainableModel.AdamW;
import java.nio.file.Path;

/**
 * How to train.
 *
 * @param steps optimizer steps to reach (a resumed run continues to this total)
 * @param batchSize windows per forward/backward pass
 * @param accumulation passes per optimizer step
 * @param schedule learning rate per step
 * @param optimizer AdamW settings
 * @param maxGradNorm global gradient-norm clip (0: none)
 * @param evalEvery steps between held-out evaluations (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: none)
 * @param saveDtype the final model's stored precision
 * @param output where the final model goes
 * @param logEvery steps between progress lines
 */
public record TrainOptions(
        long steps,
        int batchSize,
        int accumulation,
        LearningRateSchedule schedule,
        AdamW optimizer,
        double maxGradNorm,
        long evalEvery,
        long checkpointEvery,
        SafetensorsDType saveDtype,
        Path output,
        long logEvery) {
    public TrainOptions {
        if (steps < 1
                || batchSize < 1
                || accumulation < 1
                || evalEvery < 0
                || checkpointEvery < 0
                || logEvery < 1
                || !(maxGradNorm >= 0)) {
            throw new IllegalArgumentException(
                    "steps, batch size, accumulation and log interval must be >= 1; evaluation and checkpoint "
                            + "intervals and the gradient clip >= 0");
        }
    }
}
