package io.pretrain4j.validator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operations the loop changes its state with. */
class ValidatorStateTest {
    @Test
    void aStepTakesTheKeptSetWithWhatWasPendingAndKeepsWhatSelectionKept() {
        ValidatorState state = new ValidatorState(4062);
        state.keep(1, List.of(3, 5));
        state.queue(1, 7);
        state.queue(2, 9);
        assertThat(state.takeForStep(1)).containsExactly(3, 5, 7);
        assertThat(state.pending(1)).isEmpty();
        assertThat(state.pending(2)).containsExactly(9);
        state.keep(1, List.of(7));
        assertThat(state.kept(1)).containsExactly(7);
        assertThat(state.uidsInFlight()).containsExactlyInAnyOrder(7, 9);
        state.evict(9);
        assertThat(state.uidsInFlight()).containsExactly(7);
        assertThatThrownBy(() -> state.kept(1).add(8))
                .as("read-only views")
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void weightsOutcomesReplaceEachOther() {
        ValidatorState state = new ValidatorState(4062);
        state.prepareWeights(new WeightsIntent(List.of(1), List.of(65535), 4062, 100, 1_000));
        state.weightsFailed(1_000, "HTTP 500");
        assertThat(state.weightsFailure()).isEqualTo("HTTP 500");
        state.weightsSet(2_000, 120);
        assertThat(state.weightsSetBlock()).isEqualTo(120);
        assertThat(state.weightsFailedAtMs()).isZero();
        assertThat(state.weightsFailure()).isNull();
        assertThat(state.weightsIntent())
                .as("an outcome leaves the intent to the caller")
                .isNotNull();
        state.dropWeightsIntent();
        assertThat(state.weightsIntent()).isNull();
    }

    @Test
    void aNewVersionKeyDropsEvaluationsButKeepsRunningWeights() {
        ValidatorState state = new ValidatorState(4061);
        state.track(new TrackedModel("5Hk", 3, "x", 10, 1, "a/b", "c", "", "", Map.of()));
        state.keep(1, Set.of(3));
        state.resizeWeights(4);
        state.competitionWeights(1, new double[] {0, 0, 0, 1});
        state.restartEvaluations(4062);
        assertThat(state.versionKey()).isEqualTo(4062);
        assertThat(state.models()).isEmpty();
        assertThat(state.kept(1)).isEmpty();
        assertThat(state.competitionWeights().get(1)).containsExactly(0, 0, 0, 1);
        state.resizeWeights(6);
        assertThat(state.competitionWeights().get(1)).hasSize(6);
        assertThat(state.neurons()).isEqualTo(6);
    }
}
