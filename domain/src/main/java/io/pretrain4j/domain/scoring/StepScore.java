package io.pretrain4j.domain.scoring;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one competition's scoring step.
 *
 * @param competitiveUids the uids that survived the competitive filter, in input order
 * @param wins wins of each competitive uid
 * @param winRates win rate of each competitive uid
 * @param weights the step's weights, {@code softmax(winRate / T)} over every evaluated uid
 *     (non-competitive uids count as win rate 0). Empty when no model is competitive: the
 *     reference crashes there ({@code max()} of an empty dict) and so never updates weights; we
 *     make "no update" explicit instead of crashing.
 */
public record StepScore(
        List<Integer> competitiveUids,
        Map<Integer, Integer> wins,
        Map<Integer, Double> winRates,
        Map<Integer, Double> weights) {
    public StepScore {
        competitiveUids = List.copyOf(competitiveUids);
        wins = Map.copyOf(wins);
        winRates = Map.copyOf(winRates);
        weights = Map.copyOf(weights);
    }

    /** Whether this step updates the competition's weights (false when nothing was competitive). */
    public boolean updatesWeights() {
        return !weights.isEmpty();
    }

    /**
     * The step's winner: the competitive uid with the highest win rate, the lowest uid on ties
     * (the reference's {@code max(win_rate, key=win_rate.get)} takes the first in dict order).
     */
    public Optional<Integer> winner() {
        Integer best = null;
        for (int uid : competitiveUids) {
            if (best == null
                    || winRates.get(uid) > winRates.get(best)
                    || (winRates.get(uid).equals(winRates.get(best)) && uid < best)) {
                best = uid;
            }
        }
        return Optional.ofNullable(best);
    }
}
