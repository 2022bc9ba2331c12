package io.pretrain4j.app.bench;

import io.pretrain4j.domain.scoring.EpsilonSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's baseline: a line-by-line transliteration of the reference Python step
 * ({@code compute_competitive_uids}, {@code compute_wins}, softmax, {@code record_competition_weights},
 * {@code get_subnet_weights}, {@code convert_weights_and_uids_for_emit}) over boxed maps, with epsilon
 * recomputed for every pair as the Python does. It is also checked to give the same answer.
 */
final class NaiveReferenceScoring {
    private NaiveReferenceScoring() {}

    record Result(
            List<Integer> competitive,
            Map<Integer, Integer> wins,
            List<Integer> chainUids,
            List<Integer> chainValues) {}

    static Result step(
            Map<Integer, Double> uidToScore,
            Map<Integer, Long> uidToBlock,
            EpsilonSchedule epsilon,
            long currentBlock,
            double temperature,
            int metagraphSize,
            Map<Integer, double[]> previous,
            int competition) {
        double full = 1 - epsilon.fullyDecayed();
        List<Integer> competitive = new ArrayList<>();
        for (Map.Entry<Integer, Long> entry : uidToBlock.entrySet()) {
            boolean keep = true;
            for (Map.Entry<Integer, Long> other : uidToBlock.entrySet()) {
                if (!other.getKey().equals(entry.getKey())
                        && other.getValue() <= entry.getValue()
                        && uidToScore.get(entry.getKey()) >= uidToScore.get(other.getKey()) * full) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                competitive.add(entry.getKey());
            }
        }
        Map<Integer, Integer> wins = new LinkedHashMap<>();
        Map<Integer, Double> winRate = new HashMap<>();
        for (Integer i : competitive) {
            int count = 0;
            int matches = 0;
            for (Integer j : competitive) {
                if (i.equals(j)) {
                    continue;
                }
                long bi = uidToBlock.get(i);
                long bj = uidToBlock.get(j);
                double li = bi < bj ? (1 - epsilon.epsilon(currentBlock, bi)) * uidToScore.get(i) : uidToScore.get(i);
                double lj = bj < bi ? (1 - epsilon.epsilon(currentBlock, bj)) * uidToScore.get(j) : uidToScore.get(j);
                count += li < lj ? 1 : 0;
                matches++;
            }
            wins.put(i, count);
            winRate.put(i, matches > 0 ? (double) count / matches : 1.0);
        }
        List<Integer> uids = new ArrayList<>(uidToBlock.keySet());
        List<Double> logits = new ArrayList<>();
        for (Integer uid : uids) {
            logits.add(winRate.getOrDefault(uid, 0.0) / temperature);
        }
        double max = logits.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Double> exps = new ArrayList<>();
        for (Double logit : logits) {
            exps.add(Math.exp(logit - max));
        }
        double sum = exps.stream().mapToDouble(Double::doubleValue).sum();
        double[] fresh = new double[metagraphSize];
        for (int k = 0; k < uids.size(); k++) {
            fresh[uids.get(k)] = exps.get(k) / sum;
        }
        double total = 0;
        for (double value : fresh) {
            total += value;
        }
        double[] old = previous.get(competition);
        double[] next = new double[metagraphSize];
        for (int uid = 0; uid < metagraphSize; uid++) {
            double value = old == null ? fresh[uid] / total : 0.5 * old[uid] + 0.5 * (fresh[uid] / total);
            next[uid] = Double.isNaN(value) ? 0 : value;
        }
        List<Double> weights = new ArrayList<>();
        double mixedSum = 0;
        for (double value : next) {
            mixedSum += value;
        }
        for (double value : next) {
            weights.add(value / mixedSum);
        }
        double maxWeight =
                weights.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Integer> chainUids = new ArrayList<>();
        List<Integer> chainValues = new ArrayList<>();
        for (int uid = 0; uid < weights.size(); uid++) {
            long value = Math.round(Math.rint(weights.get(uid) / maxWeight * 65535));
            if (value != 0) {
                chainUids.add(uid);
                chainValues.add((int) value);
            }
        }
        return new Result(competitive, wins, chainUids, chainValues);
    }
}
