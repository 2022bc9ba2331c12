package io.pretrain4j.domain.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.scoring.RetryRule.Evaluation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryRuleTest {
    private static final EpsilonSchedule DECAY = EpsilonSchedule.linearDecay(0.005, 0.0001, 7200);

    @Test
    void aModelNeverEvaluatedIsRetried() {
        assertThat(RetryRule.shouldRetry(List.of(), 100, DECAY)).isTrue();
    }

    @Test
    void aFailureGetsExactlyOneRetry() {
        Evaluation failed = new Evaluation(10, Double.POSITIVE_INFINITY, 5, 2.0);
        assertThat(RetryRule.shouldRetry(List.of(failed), 100, DECAY)).isTrue();
        assertThat(RetryRule.shouldRetry(List.of(failed, failed), 100, DECAY)).isFalse();
    }

    @Test
    void aLoserIsRetriedOnlyOnceTheWinnersEpsilonHasDecayedBelowTheGap() {
        // loses by 0.2% to a winner committed at block 0: with the full 0.5% epsilon it cannot win...
        Evaluation lost = new Evaluation(100, 1.996, 0, 2.0);
        assertThat(RetryRule.shouldRetry(List.of(lost), 100, DECAY)).isFalse();
        // ...but 7200 blocks later the winner's epsilon is 0.01% and the same score would win
        assertThat(RetryRule.shouldRetry(List.of(lost), 7200, DECAY)).isTrue();
        // a worse score never comes back, however old the winner
        assertThat(RetryRule.shouldRetry(List.of(new Evaluation(100, 2.1, 0, 2.0)), 1_000_000, DECAY))
                .isFalse();
    }

    @Test
    void theLatestSuccessfulEvaluationDecidesEvenAfterLaterFailures() {
        Evaluation good = new Evaluation(100, 1.9, 0, 2.0);
        Evaluation failed = new Evaluation(200, Double.POSITIVE_INFINITY, 0, 2.0);
        Evaluation bad = new Evaluation(50, 2.5, 0, 2.0);
        assertThat(RetryRule.shouldRetry(List.of(bad, good, failed), 300, DECAY))
                .isTrue();
        assertThat(RetryRule.shouldRetry(List.of(good, bad, failed), 300, DECAY))
                .isFalse();
    }
}
