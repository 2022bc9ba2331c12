package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which uids stay in a competition's evaluation set after a step, and which are dropped (the
 * reference's "blacklist"; {@code neurons/validator.py} after scoring).
 *
 * <p>Competitive uids are ranked by priority {@code 1 + w} when their running competition weight
 * {@code w >= 0.001}, else by their win rate; the top {@code sampleMin} stay. If fewer than
 * {@code sampleMin} stay, the set is filled from all evaluated uids by ascending score. Ties break
 * by the lower uid (the reference breaks them by Python set order, which is not meant to matter).
 *
 * @param kept uids evaluated again next step, ascending
 * @param dropped uids dropped until a new upload or a retry re-adds them, ascending
 */
public record Selection(Set<Integer> kept, Set<Integer> dropped) {
    /** The reference's {@code sample_min}. */
    public static final int SAMPLE_MIN = 5;

    private static final double WEIGHT_PRIORITY_THRESHOLD = 0.001;

    public Selection {
        kept = Collections.unmodifiableSet(new TreeSet<>(kept));
        dropped = Collections.unmodifiableSet(new TreeSet<>(dropped));
    }

    /**
     * Chooses the kept set.
     *
     * @param scores the step score of every evaluated uid
     * @param winRates win rates of the competitive uids
     * @param competitionWeights the competition's running weights after this step, by uid
     * @param sampleMin how many uids to keep
     */
    public static Selection choose(
            Map<Integer, Double> scores, Map<Integer, Double> winRates, double[] competitionWeights, int sampleMin) {
        if (sampleMin < 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "sampleMin must be >= 0, got " + sampleMin);
        }
        List<Integer> ranked = new ArrayList<>(new TreeSet<>(winRates.keySet()));
        ranked.sort(Comparator.comparingDouble((Integer uid) -> priority(uid, winRates, competitionWeights))
                .reversed());
        Set<Integer> kept = new LinkedHashSet<>(ranked.subList(0, Math.min(sampleMin, ranked.size())));

        List<Integer> byScore = new ArrayList<>(new TreeSet<>(scores.keySet()));
        byScore.sort(Comparator.comparingDouble(scores::get));
        for (int uid : byScore) {
            if (kept.size() >= sampleMin) {
                break;
            }
            kept.add(uid);
        }
        Set<Integer> dropped = new TreeSet<>(scores.keySet());
        dropped.removeAll(kept);
        return new Selection(kept, dropped);
    }

    private static double priority(int uid, Map<Integer, Double> winRates, double[] competitionWeights) {
        double weight = uid < competitionWeights.length ? competitionWeights[uid] : 0.0;
        return weight >= WEIGHT_PRIORITY_THRESHOLD ? 1 + weight : winRates.get(uid);
    }
}
