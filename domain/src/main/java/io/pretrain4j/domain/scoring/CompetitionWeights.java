package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Running weights per competition over a metagraph of {@code size} uids, and their mix into the
 * subnet's weights (taoverse {@code CompetitionTracker}). Immutable: each operation returns a new
 * value, so a step either lands whole or not at all.
 */
public final class CompetitionWeights {
    private final int size;
    private final Map<Integer, double[]> byCompetition;

    private CompetitionWeights(int size, Map<Integer, double[]> byCompetition) {
        this.size = size;
        this.byCompetition = byCompetition;
    }

    /** No competition recorded yet, over {@code size} uids. */
    public static CompetitionWeights empty(int size) {
        checkSize(size);
        return new CompetitionWeights(size, Map.of());
    }

    /** Restores saved weights; every vector must have {@code size} finite, non-negative entries. */
    public static CompetitionWeights of(int size, Map<Integer, double[]> weights) {
        checkSize(size);
        Map<Integer, double[]> copy = new TreeMap<>();
        weights.forEach((competition, vector) -> {
            if (vector.length != size) {
                throw invalid("competition " + competition + " has " + vector.length + " weights, expected " + size);
            }
            for (int uid = 0; uid < size; uid++) {
                if (!(vector[uid] >= 0) || Double.isInfinite(vector[uid])) {
                    throw invalid("competition " + competition + " uid " + uid + " has weight " + vector[uid]);
                }
            }
            copy.put(competition, vector.clone());
        });
        return new CompetitionWeights(size, copy);
    }

    /** The number of uids. */
    public int size() {
        return size;
    }

    /** The competitions with recorded weights. */
    public Set<Integer> competitions() {
        return Set.copyOf(byCompetition.keySet());
    }

    /** A copy of one competition's running weights (all zero if never recorded). */
    public double[] weightsOf(int competitionId) {
        double[] vector = byCompetition.get(competitionId);
        return vector == null ? new double[size] : vector.clone();
    }

    /**
     * Records a step ({@code record_competition_weights}): the step weights by uid are placed into a
     * metagraph-sized vector (uids not in the step get 0), normalised to sum 1, then folded with the
     * EMA rule; NaN entries become 0.
     */
    public CompetitionWeights record(int competitionId, Map<Integer, Double> stepWeights, EmaRule ema) {
        double[] fresh = new double[size];
        double sum = 0;
        for (Map.Entry<Integer, Double> entry : stepWeights.entrySet()) {
            int uid = entry.getKey();
            if (uid < 0 || uid >= size) {
                throw invalid("uid " + uid + " is outside the metagraph of " + size);
            }
            fresh[uid] = entry.getValue();
            sum += entry.getValue();
        }
        for (int uid = 0; uid < size; uid++) {
            fresh[uid] = fresh[uid] / sum;
        }
        double[] old = byCompetition.get(competitionId);
        double[] next = new double[size];
        for (int uid = 0; uid < size; uid++) {
            double value;
            if (old == null && ema.firstRecordTakesNew()) {
                value = fresh[uid];
            } else {
                double previous = old == null ? 0.0 : old[uid];
                value = ema.alpha() * previous + (1 - ema.alpha()) * fresh[uid];
            }
            next[uid] = Double.isNaN(value) ? 0.0 : value;
        }
        Map<Integer, double[]> copy = new TreeMap<>(byCompetition);
        copy.put(competitionId, next);
        return new CompetitionWeights(size, copy);
    }

    /** Resizes every vector to a new metagraph size: new uids get 0, removed uids are cut. */
    public CompetitionWeights resize(int newSize) {
        checkSize(newSize);
        Map<Integer, double[]> copy = new TreeMap<>();
        byCompetition.forEach((competition, vector) -> copy.put(competition, Arrays.copyOf(vector, newSize)));
        return new CompetitionWeights(newSize, copy);
    }

    /** Drops competitions no longer active ({@code reset_competitions}). */
    public CompetitionWeights retain(Collection<Integer> activeCompetitions) {
        Map<Integer, double[]> copy = new TreeMap<>(byCompetition);
        copy.keySet().retainAll(Set.copyOf(activeCompetitions));
        return new CompetitionWeights(size, copy);
    }

    /**
     * The subnet weights: {@code sum_c share_c * w_c} over the given competitions that have weights,
     * renormalised to sum 1 (competitions not run yet are thereby ignored); NaN becomes 0.
     *
     * @param rewardShares reward share by competition id
     */
    public double[] subnetWeights(Map<Integer, Double> rewardShares) {
        double[] mixed = new double[size];
        Map<Integer, Double> shares = new HashMap<>(rewardShares);
        shares.forEach((competition, share) -> {
            double[] vector = byCompetition.get(competition);
            if (vector != null) {
                for (int uid = 0; uid < size; uid++) {
                    mixed[uid] += vector[uid] * share;
                }
            }
        });
        double sum = 0;
        for (double value : mixed) {
            sum += value;
        }
        for (int uid = 0; uid < size; uid++) {
            double value = mixed[uid] / sum;
            mixed[uid] = Double.isNaN(value) ? 0.0 : value;
        }
        return mixed;
    }

    private static void checkSize(int size) {
        if (size < 0) {
            throw invalid("metagraph size must be >= 0, got " + size);
        }
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(DomainErrorCode.INVALID_WEIGHTS, "Invalid competition weights: " + message);
    }
}
