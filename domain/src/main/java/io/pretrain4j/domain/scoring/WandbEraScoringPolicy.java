package io.pretrain4j.domain.scoring;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subnet's first policy (pretrain-subnet v2, models on W&amp;B): upload timestamps instead of
 * blocks, a fixed epsilon of 0.01 for the earlier upload, wins counted per batch over every ordered
 * pair, {@code win_rate = wins / matches} (0 when a model is alone), {@code softmax(winRate / 0.25)},
 * and {@code W = 0.9 W + 0.1 new} starting from zeros. There is no competitive filter; every model
 * is listed as competitive.
 */
public final class WandbEraScoringPolicy implements ScoringPolicy {
    /** The policy's name in configuration. */
    public static final String NAME = "wandb-era";

    private static final double TIMESTAMP_EPSILON = 0.01;
    private static final double TEMPERATURE = 0.25;
    private static final EmaRule EMA = new EmaRule(0.9, false);
    private static final EpsilonSchedule EPSILON = EpsilonSchedule.fixed(TIMESTAMP_EPSILON);

    @Override
    public String name() {
        return NAME;
    }

    /** Scores a step; {@code competitionEpsilon} is ignored, the era's epsilon was fixed. */
    @Override
    public StepScore score(ScoringTime now, EpsilonSchedule competitionEpsilon, List<ModelEvaluation> models) {
        ReferenceScoring.checkDistinctUids(models);
        int batches = models.isEmpty() ? 0 : models.get(0).batchCount();
        for (ModelEvaluation model : models) {
            if (model.batchCount() != batches || batches == 0) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_SCORING_INPUT,
                        "the wandb-era policy needs the same non-zero number of batch losses for every model; uid "
                                + model.uid() + " has " + model.batchCount() + ", expected " + batches);
            }
        }
        int n = models.size();
        double[] rates = new double[n];
        Map<Integer, Integer> wins = new LinkedHashMap<>();
        Map<Integer, Double> winRates = new LinkedHashMap<>();
        List<Integer> uids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ModelEvaluation a = models.get(i);
            int count = 0;
            int matches = 0;
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                ModelEvaluation b = models.get(j);
                for (int batch = 0; batch < batches; batch++) {
                    if (ReferenceScoring.isWin(
                            a.batchLoss(batch), b.batchLoss(batch), a.block(), b.block(), EPSILON, now.value())) {
                        count++;
                    }
                    matches++;
                }
            }
            rates[i] = matches > 0 ? (double) count / matches : 0.0;
            uids.add(a.uid());
            wins.put(a.uid(), count);
            winRates.put(a.uid(), rates[i]);
        }
        double[] weights = Softmax.of(rates, TEMPERATURE);
        Map<Integer, Double> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            weightMap.put(models.get(i).uid(), weights[i]);
        }
        return new StepScore(uids, wins, winRates, weightMap);
    }

    @Override
    public EmaRule ema() {
        return EMA;
    }
}
