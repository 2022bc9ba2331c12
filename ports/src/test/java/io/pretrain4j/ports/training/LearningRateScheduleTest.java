package io.pretrain4j.ports.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysAlongACosineToTheMinimum() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-4, 10, 110);
        assertThat(schedule.at(1)).isCloseTo(1e-4, within(1e-12));
        assertThat(schedule.at(5)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.at(60)).isCloseTo(5.5e-4, within(1e-12));
        assertThat(schedule.at(110)).isEqualTo(1e-4);
        assertThat(schedule.at(500)).isEqualTo(1e-4);
        for (long step = 11; step < 110; step++) {
            assertThat(schedule.at(step + 1)).isLessThanOrEqualTo(schedule.at(step));
        }
        assertThat(new LearningRateSchedule(2e-3, 0, 0, 10).at(1))
                .isLessThan(2e-3)
                .isGreaterThan(1.9e-3);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 2e-3, 0, 10)).hasMessageContaining("minimum <= peak");
        assertThatThrownBy(() -> new TrainableModel.AdamW(1.0, 0.999, 1e-8, 0)).hasMessageContaining("betas");
    }
}
