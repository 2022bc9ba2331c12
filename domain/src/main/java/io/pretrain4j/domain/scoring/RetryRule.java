package io.pretrain4j.domain.scoring;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * When a model that is not in a competition's evaluation set is evaluated again (the reference's
 * {@code should_retry_model}, {@code pretrain/models/retry.py}).
 *
 * <p>A model is retried when it has no evaluation yet; when its latest successful score, compared
 * with the winner of that step, now beats the winner's score reduced by the winner's decayed epsilon
 * (an incumbent's advantage shrinks with its age); or when every evaluation so far failed and there
 * was only one (failures get one retry).
 */
public final class RetryRule {
    /** How many evaluations the reference keeps per model and competition ({@code _MAX_EVAL_HISTORY_LEN}). */
    public static final int HISTORY_LENGTH = 3;

    private RetryRule() {}

    /**
     * One past evaluation of a model ({@code EvalResult}).
     *
     * @param block the block the step ran at
     * @param score the model's score, +inf when it failed
     * @param winnerBlock the commit block of that step's winner
     * @param winnerScore the winner's score
     */
    public record Evaluation(long block, double score, long winnerBlock, double winnerScore) {}

    /** Whether to evaluate the model again; {@code history} is oldest first. */
    public static boolean shouldRetry(List<Evaluation> history, long currentBlock, EpsilonSchedule epsilon) {
        requireNonNull(epsilon, "epsilon is null");
        if (history.isEmpty()) {
            return true;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            Evaluation last = history.get(i);
            if (Double.isFinite(last.score())) {
                double decayed = last.winnerScore() * (1 - epsilon.epsilon(currentBlock, last.winnerBlock()));
                return last.score() <= last.winnerScore() && last.score() < decayed;
            }
        }
        return history.size() < 2;
    }
}
