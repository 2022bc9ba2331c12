package io.pretrain4j.domain.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvalRulesTest {
    @Test
    void taskValueIsTheMeanOfWindowMeansAndNonFiniteMeansInfinity() {
        assertThat(TextLoss.taskValue(new double[] {2.0, 3.0, 4.0})).isEqualTo(3.0);
        assertThat(TextLoss.taskValue(new double[] {2.0, Double.NaN})).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.taskValue(new double[] {2.0, Double.NEGATIVE_INFINITY}))
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.taskValue(new double[0])).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.asScore(Double.NaN)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.asScore(1.5)).isEqualTo(1.5);
    }

    @Test
    void aModelsScoreIsTheWeightedMeanOfItsTasksAndInfinityWhenAnyFails() {
        assertThat(TextLoss.score(
                        java.util.List.of(new TextLoss.WeightedTask(0.25, 4.0), new TextLoss.WeightedTask(0.75, 2.0))))
                .isEqualTo(2.5);
        // weights need not sum to one: the mean divides by their sum
        assertThat(TextLoss.score(
                        java.util.List.of(new TextLoss.WeightedTask(1, 4.0), new TextLoss.WeightedTask(3, 2.0))))
                .isEqualTo(2.5);
        assertThat(TextLoss.score(java.util.List.of(
                        new TextLoss.WeightedTask(0.5, 4.0), new TextLoss.WeightedTask(0.5, Double.POSITIVE_INFINITY))))
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.score(java.util.List.of(new TextLoss.WeightedTask(0.5, Double.NaN))))
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.score(java.util.List.of())).as("no task").isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TextLoss.score(java.util.List.of(new TextLoss.WeightedTask(0, 3.0))))
                .as("zero weight")
                .isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void sanityFailsWhenHalfThePositionsAgree() {
        int[] a = range(0, 20);
        int[] b = range(100, 120);
        assertThat(OutputSanity.isReasonable(a, b)).isTrue();
        System.arraycopy(a, 0, b, 0, 9);
        assertThat(OutputSanity.isReasonable(a, b)).isTrue(); // 9 of 20 equal
        b[9] = a[9];
        assertThat(OutputSanity.isReasonable(a, b)).isFalse(); // 10 of 20 equal
    }

    @Test
    void sanityFailsWhenBothOutputsRepeatOneToken() {
        int[] a = range(0, 20);
        int[] b = range(100, 120);
        java.util.Arrays.fill(a, 0, 11, 7); // 11 > 10 repeats
        assertThat(OutputSanity.isReasonable(a, b)).isTrue(); // only one output degenerate
        java.util.Arrays.fill(b, 0, 11, 8);
        assertThat(OutputSanity.isReasonable(a, b)).isFalse();
        java.util.Arrays.fill(b, 0, 11, 0);
        java.util.Arrays.fill(b, 0, 10, 8); // exactly 10 repeats is not more than half
        assertThat(OutputSanity.isReasonable(a, b)).isTrue();
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
