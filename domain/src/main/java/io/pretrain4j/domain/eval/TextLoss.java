package io.pretrain4j.domain.eval;

import java.util.List;

/**
 * How per-window losses become a task value, as the reference computes it (mean of the per-window
 * mean cross-entropies), except that a missing or non-finite loss makes the value {@code +inf}
 * (the worst score) instead of propagating NaN into win counting.
 */
public final class TextLoss {
    private TextLoss() {}

    /** The task value of these per-window mean losses; {@code +inf} when empty or any is NaN/inf. */
    public static double taskValue(double[] windowLosses) {
        if (windowLosses.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        for (double loss : windowLosses) {
            if (!Double.isFinite(loss)) {
                return Double.POSITIVE_INFINITY;
            }
            sum += loss;
        }
        return sum / windowLosses.length;
    }

    /** A window loss as a score: itself when finite, otherwise {@code +inf}. */
    public static double asScore(double loss) {
        return Double.isFinite(loss) ? loss : Double.POSITIVE_INFINITY;
    }

    /** One task's value and its weight in the model's score. */
    public record WeightedTask(double weight, double value) {}

    /**
     * A model's score: the weighted mean of its tasks' values (the reference's per-task mean),
     * {@code +inf} when any value or the result is not finite, or when the weights sum to zero.
     */
    public static double score(List<WeightedTask> tasks) {
        double weighted = 0;
        double weightSum = 0;
        for (WeightedTask task : tasks) {
            weighted += task.weight() * task.value();
            weightSum += task.weight();
        }
        double score = weighted / weightSum;
        return Double.isFinite(score) ? score : Double.POSITIVE_INFINITY;
    }
}
