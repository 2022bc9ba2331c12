package io.pretrain4j.domain.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.Pretrain4jException;
import org.junit.jupiter.api.Test;

class EpsilonScheduleTest {
    @Test
    void linearDecayFollowsTheReferenceFormula() {
        EpsilonSchedule schedule = EpsilonSchedule.linearDecay(0.005, 0.0001, 14400);
        assertThat(schedule.epsilon(1000, 1000)).isEqualTo(0.005);
        assertThat(schedule.epsilon(1000 + 7200, 1000)).isCloseTo(0.00255, within(1e-15));
        assertThat(schedule.epsilon(1000 + 14400, 1000)).isEqualTo(0.005 - 1.0 * (0.005 - 0.0001));
        assertThat(schedule.epsilon(10_000_000, 1000)).isEqualTo(schedule.fullyDecayed());
        // A model "from the future" (clock skew) gets the full start epsilon, as max(d, 0) gives.
        assertThat(schedule.epsilon(1000, 5000)).isEqualTo(0.005);
        assertThat(schedule.epsilon(1000, ModelEvaluation.UNKNOWN_BLOCK)).isEqualTo(0.005);
    }

    @Test
    void fixedEpsilonIgnoresBlocks() {
        EpsilonSchedule schedule = EpsilonSchedule.fixed(0.01);
        assertThat(schedule.epsilon(0, 0)).isEqualTo(0.01);
        assertThat(schedule.epsilon(1_000_000, 3)).isEqualTo(0.01);
        assertThat(schedule.fullyDecayed()).isEqualTo(0.01);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> EpsilonSchedule.linearDecay(0.005, 0.0001, 0))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("decayBlocks must be positive");
        assertThatThrownBy(() -> EpsilonSchedule.fixed(Double.NaN)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> EpsilonSchedule.fixed(1.0)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> EpsilonSchedule.linearDecay(-0.1, 0, 5)).hasMessageContaining("start");
    }
}
