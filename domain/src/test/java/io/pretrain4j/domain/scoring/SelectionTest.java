package io.pretrain4j.domain.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionTest {
    @Test
    void keepsModelsWithWeightFirstThenByWinRate() {
        Map<Integer, Double> scores = new HashMap<>();
        Map<Integer, Double> winRates = new HashMap<>();
        double[] weights = new double[20];
        for (int uid = 0; uid < 8; uid++) {
            scores.put(uid, 3.0 - uid * 0.01);
            winRates.put(uid, uid / 10.0);
        }
        weights[1] = 0.6; // a long-time winner with a low win rate this step
        weights[2] = 0.0005; // below the 0.001 threshold: ranked by win rate
        Selection selection = Selection.choose(scores, winRates, weights, 3);
        assertThat(selection.kept()).containsExactly(1, 6, 7);
        assertThat(selection.dropped()).containsExactly(0, 2, 3, 4, 5);
    }

    @Test
    void fillsUpToSampleMinByAscendingScoreFromAllEvaluatedModels() {
        Map<Integer, Double> scores = Map.of(1, 2.5, 2, 2.4, 3, Double.POSITIVE_INFINITY, 4, 2.45, 5, 2.6);
        Map<Integer, Double> winRates = Map.of(2, 1.0);
        Selection selection = Selection.choose(scores, winRates, new double[10], 3);
        assertThat(selection.kept()).containsExactly(1, 2, 4);
        assertThat(selection.dropped()).containsExactly(3, 5);
    }

    @Test
    void tiesBreakByTheLowerUid() {
        Map<Integer, Double> scores = Map.of(9, 2.0, 3, 2.0, 5, 2.0);
        Map<Integer, Double> winRates = Map.of(9, 0.5, 3, 0.5, 5, 0.5);
        assertThat(Selection.choose(scores, winRates, new double[10], 2).kept()).containsExactly(3, 5);
    }

    @Test
    void keepsEverythingWhenThereAreFewerThanSampleMin() {
        Map<Integer, Double> scores = Map.of(1, 2.0, 2, 2.1);
        Selection selection = Selection.choose(scores, Map.of(1, 1.0, 2, 0.0), new double[3], Selection.SAMPLE_MIN);
        assertThat(selection.kept()).containsExactly(1, 2);
        assertThat(selection.dropped()).isEmpty();
    }
}
