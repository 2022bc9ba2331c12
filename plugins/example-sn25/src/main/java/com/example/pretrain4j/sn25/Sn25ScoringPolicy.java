package com.example.pretrain4j.sn25;

import io.pretrain4j.domain.scoring.EmaRule;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Subnet 25's reward rule (bit-current/DistributedTraining, spec/INTERFACES.md D): a miner that
 * responded (a finite loss) within {@code threshold} standard deviations of the responders' mean
 * loss gets 1.0, one that responded outside gets 0.3, one that did not respond (an infinite loss)
 * gets 0.1; scores move by {@code 0.05 * reward + 0.95 * score}. The standard deviation is the
 * population one; when it is 0 every responder is within.
 */
final class Sn25ScoringPolicy implements ScoringPolicy {
    static final String NAME = "subnet-25";
    private static final EmaRule EMA = new EmaRule(0.95, false);

    private final double threshold;

    Sn25ScoringPolicy(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepScore score(ScoringTime now, EpsilonSchedule competitionEpsilon, List<ModelEvaluation> models) {
        List<Double> losses = new ArrayList<>();
        for (ModelEvaluation model : models) {
            if (Double.isFinite(model.score())) {
                losses.add(model.score());
            }
        }
        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = losses.stream()
                .mapToDouble(loss -> (loss - mean) * (loss - mean))
                .average()
                .orElse(0);
        double deviation = Math.sqrt(variance);
        List<Integer> responders = new ArrayList<>();
        Map<Integer, Double> rewards = new LinkedHashMap<>();
        Map<Integer, Integer> wins = new LinkedHashMap<>();
        for (ModelEvaluation model : models) {
            double reward;
            if (!Double.isFinite(model.score())) {
                reward = 0.1;
            } else {
                responders.add(model.uid());
                double z = deviation == 0 ? 0 : Math.abs(model.score() - mean) / deviation;
                reward = z <= threshold ? 1.0 : 0.3;
                wins.put(model.uid(), 0);
            }
            rewards.put(model.uid(), reward);
        }
        Map<Integer, Double> rates = new LinkedHashMap<>();
        responders.forEach(uid -> rates.put(uid, rewards.get(uid)));
        return new StepScore(responders, wins, rates, rewards);
    }

    @Override
    public EmaRule ema() {
        return EMA;
    }
}
