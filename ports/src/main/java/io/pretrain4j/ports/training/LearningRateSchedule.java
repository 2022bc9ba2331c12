package io.pretrain4j.ports.training;

/**
 * Linear warm-up to the peak, then cosine decay to {@code minimum} at {@code totalSteps} (and flat after).
 *
 * @param peak the learning rate after warm-up
 * @param minimum the learning rate at the end
 * @param warmupSteps steps of linear warm-up (from peak / warmupSteps at step 1)
 * @param totalSteps the step at which the decay ends
 */
public record LearningRateSchedule(double peak, double minimum, long warmupSteps, long totalSteps) {
    public LearningRateSchedule {
        if (!(peak > 0) || !(minimum >= 0) || minimum > peak || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException(
                    "learning rate schedule needs peak > 0, 0 <= minimum <= peak, warmup >= 0, total >= 1; got " + peak
                            + ", " + minimum + ", " + warmupSteps + ", " + totalSteps);
        }
    }

    /** The learning rate of optimizer step {@code step} (1-based). */
    public double at(long step) {
        if (step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (step >= totalSteps) {
            return minimum;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
    }
}
