package io.pretrain4j.domain.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * The reference's cheap check that a model is not degenerate ({@code check_for_reasonable_output}):
 * greedy-generate {@link #NEW_TOKENS} tokens (end-of-sequence suppressed) after the first
 * {@link #PROMPT_TOKENS} tokens of two different windows; the model fails when half or more of the
 * positions agree across the two outputs, or when both outputs repeat one token more than half the
 * time.
 */
public final class OutputSanity {
    /** Prompt length taken from each of the first two windows. */
    public static final int PROMPT_TOKENS = 100;
    /** Tokens generated per prompt. */
    public static final int NEW_TOKENS = 20;

    private OutputSanity() {}

    /** Whether the two generated outputs (each {@link #NEW_TOKENS} long) pass. */
    public static boolean isReasonable(int[] first, int[] second) {
        if (first.length != second.length || first.length == 0) {
            throw new IllegalArgumentException(
                    "outputs must have the same, non-zero length: " + first.length + " vs " + second.length);
        }
        double half = first.length / 2.0;
        int equal = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] == second[i]) {
                equal++;
            }
        }
        if (equal >= half) {
            return false;
        }
        return !(mostCommonCount(first) > half && mostCommonCount(second) > half);
    }

    private static int mostCommonCount(int[] tokens) {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = 0;
        for (int token : tokens) {
            best = Math.max(best, counts.merge(token, 1, Integer::sum));
        }
        return best;
    }
}
