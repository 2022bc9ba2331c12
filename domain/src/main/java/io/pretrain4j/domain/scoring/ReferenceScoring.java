package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference validator's scoring step (pretraining {@code validation.py}, since f51c396): the
 * competitive filter, pairwise wins with the epsilon advantage of the earlier upload, win rates and
 * the softmax step weights. Hot loops run over primitive arrays.
 */
public final class ReferenceScoring {
    private ReferenceScoring() {}

    /** The full step: competitive filter, wins over the competitive uids, softmax weights over all. */
    public static StepScore score(
            List<ModelEvaluation> models, long currentBlock, EpsilonSchedule epsilon, double temperature) {
        checkDistinctUids(models);
        boolean[] competitive = competitiveMask(models, epsilon);
        int[] competitiveIndex = indicesOf(competitive);
        int[] wins = wins(models, competitiveIndex, currentBlock, epsilon);

        List<Integer> competitiveUids = new ArrayList<>(competitiveIndex.length);
        Map<Integer, Integer> winMap = new LinkedHashMap<>();
        Map<Integer, Double> winRates = new LinkedHashMap<>();
        double[] rateByModel = new double[models.size()];
        for (int k = 0; k < competitiveIndex.length; k++) {
            int uid = models.get(competitiveIndex[k]).uid();
            double rate =
                    competitiveIndex.length == 1 ? 1.0 : (double) wins[k] / (double) (competitiveIndex.length - 1);
            competitiveUids.add(uid);
            winMap.put(uid, wins[k]);
            winRates.put(uid, rate);
            rateByModel[competitiveIndex[k]] = rate;
        }
        if (competitiveIndex.length == 0) {
            return new StepScore(List.of(), Map.of(), Map.of(), Map.of());
        }
        double[] weights = Softmax.of(rateByModel, temperature);
        Map<Integer, Double> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            weightMap.put(models.get(i).uid(), weights[i]);
        }
        return new StepScore(competitiveUids, winMap, winRates, weightMap);
    }

    /**
     * The reference's {@code iswin}: the earlier model's loss is scaled by {@code 1 - eps(cur, its block)};
     * equal blocks get no advantage; the comparison is strict, so a tie is a loss for both.
     */
    public static boolean isWin(
            double lossI, double lossJ, long blockI, long blockJ, EpsilonSchedule epsilon, long currentBlock) {
        double adjustedI = blockI < blockJ ? (1 - epsilon.epsilon(currentBlock, blockI)) * lossI : lossI;
        double adjustedJ = blockJ < blockI ? (1 - epsilon.epsilon(currentBlock, blockJ)) * lossJ : lossJ;
        return adjustedI < adjustedJ;
    }

    /**
     * The competitive filter ({@code compute_competitive_uids}): a model stays only if its score is
     * strictly below {@code score_v * (1 - fully decayed epsilon)} of every other model v committed at
     * the same or an earlier block. The earliest model always stays; two models tied at the same
     * block eliminate each other. Runs in O(n log n): models are grouped by block and compared with
     * the minimum of all earlier groups and of the rest of their own group.
     *
     * @return per input model, whether it is competitive
     */
    public static boolean[] competitiveMask(List<ModelEvaluation> models, EpsilonSchedule epsilon) {
        int n = models.size();
        double full = 1 - epsilon.fullyDecayed();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> Long.compare(models.get(a).block(), models.get(b).block()));

        boolean[] competitive = new boolean[n];
        boolean anyEarlier = false;
        double earlierMin = Double.POSITIVE_INFINITY;
        int start = 0;
        while (start < n) {
            long block = models.get(order[start]).block();
            int end = start;
            double min1 = Double.POSITIVE_INFINITY;
            double min2 = Double.POSITIVE_INFINITY;
            while (end < n && models.get(order[end]).block() == block) {
                double decayed = models.get(order[end]).score() * full;
                if (decayed < min1) {
                    min2 = min1;
                    min1 = decayed;
                } else if (decayed < min2) {
                    min2 = decayed;
                }
                end++;
            }
            boolean hasPeers = end - start > 1;
            for (int k = start; k < end; k++) {
                ModelEvaluation model = models.get(order[k]);
                double decayed = model.score() * full;
                double peerMin = decayed == min1 ? min2 : min1;
                boolean comparable = anyEarlier || hasPeers;
                double threshold = Math.min(
                        anyEarlier ? earlierMin : Double.POSITIVE_INFINITY,
                        hasPeers ? peerMin : Double.POSITIVE_INFINITY);
                competitive[order[k]] = !comparable || model.score() < threshold;
            }
            earlierMin = Math.min(earlierMin, min1);
            anyEarlier = true;
            start = end;
        }
        return competitive;
    }

    /** Wins of each listed model against every other listed model ({@code compute_wins}). */
    static int[] wins(List<ModelEvaluation> models, int[] index, long currentBlock, EpsilonSchedule epsilon) {
        int n = index.length;
        double[] loss = new double[n];
        double[] advantaged = new double[n];
        long[] block = new long[n];
        for (int k = 0; k < n; k++) {
            ModelEvaluation model = models.get(index[k]);
            loss[k] = model.score();
            block[k] = model.block();
            advantaged[k] = (1 - epsilon.epsilon(currentBlock, block[k])) * loss[k];
        }
        int[] wins = new int[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double li = block[i] < block[j] ? advantaged[i] : loss[i];
                double lj = block[j] < block[i] ? advantaged[j] : loss[j];
                if (li < lj) {
                    count++;
                }
            }
            wins[i] = count;
        }
        return wins;
    }

    static void checkDistinctUids(List<ModelEvaluation> models) {
        Set<Integer> seen = new HashSet<>();
        for (ModelEvaluation model : models) {
            if (!seen.add(model.uid())) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_SCORING_INPUT,
                        "uid " + model.uid() + " appears more than once in the step");
            }
        }
    }

    private static int[] indicesOf(boolean[] mask) {
        int count = 0;
        for (boolean b : mask) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
