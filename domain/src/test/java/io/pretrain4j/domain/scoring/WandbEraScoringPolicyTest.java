package io.pretrain4j.domain.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.Pretrain4jException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WandbEraScoringPolicyTest {
    private final ScoringPolicy policy = new WandbEraScoringPolicy();

    @Test
    void countsWinsPerBatchWithTheEarlierUploadsOnePercentAdvantage() {
        // uid 1 uploaded first (t=100): its losses are scaled by 0.99 against later uploads.
        List<ModelEvaluation> models = List.of(
                new ModelEvaluation(1, 0, 100, new double[] {3.00, 3.00, 3.00}),
                new ModelEvaluation(2, 0, 200, new double[] {2.98, 2.96, 3.10}),
                new ModelEvaluation(3, 0, 200, new double[] {2.98, 2.90, 3.20}));
        StepScore score = policy.score(ScoringTime.epochSecond(1000), EpsilonSchedule.fixed(0.5), models);
        // 1 vs 2: 2.97<2.98 win, 2.97<2.96 no, 2.97<3.10 win -> 2; 1 vs 3: win, no, win -> 2
        assertThat(score.wins()).containsEntry(1, 4);
        // 2 vs 1: 2.98<2.97 no, 2.96<2.97 win, no -> 1; 2 vs 3 (same time, no epsilon): no, no, win -> 1
        assertThat(score.wins()).containsEntry(2, 2);
        // 3 vs 1: no, win, no -> 1; 3 vs 2: no, win, no -> 1
        assertThat(score.wins()).containsEntry(3, 2);
        assertThat(score.winRates().get(1)).isCloseTo(4 / 6.0, within(1e-15));
        double e1 = Math.exp((4 / 6.0) / 0.25);
        double e2 = Math.exp((2 / 6.0) / 0.25);
        assertThat(score.weights().get(1)).isCloseTo(e1 / (e1 + 2 * e2), within(1e-12));
        assertThat(score.competitiveUids()).containsExactly(1, 2, 3);
    }

    @Test
    void aLoneModelHasWinRateZeroButAllTheWeight() {
        StepScore score = policy.score(
                ScoringTime.epochSecond(0),
                EpsilonSchedule.fixed(0),
                List.of(new ModelEvaluation(4, 0, 1, new double[] {2.0})));
        assertThat(score.winRates()).containsEntry(4, 0.0);
        assertThat(score.weights()).containsEntry(4, 1.0);
    }

    @Test
    void emaStartsFromZerosWithAlphaNineTenths() {
        assertThat(policy.ema()).isEqualTo(new EmaRule(0.9, false));
        assertThat(policy.name()).isEqualTo("wandb-era");
    }

    @Test
    void needsTheSameBatchesForEveryModel() {
        assertThatThrownBy(() -> policy.score(
                        ScoringTime.epochSecond(0),
                        EpsilonSchedule.fixed(0),
                        List.of(
                                new ModelEvaluation(1, 0, 1, new double[] {2.0}),
                                new ModelEvaluation(2, 0, 1, new double[] {2.0, 2.1}))))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("uid 2 has 2, expected 1");
    }
}
