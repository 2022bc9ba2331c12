package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.adapters.chain.subtensor.RevealSchedule.EpochState;
import io.pretrain4j.adapters.chain.subtensor.RevealSchedule.Prediction;
import org.junit.jupiter.api.Test;

/** COMMIT_REVEAL.md 3.5: the worked example and bittensor-drand's vectors (issue 21, first slice). */
class RevealScheduleTest {
    @Test
    void theSpecsWorkedExample() {
        Prediction prediction = RevealSchedule.stateful(new EpochState(4_999_800, 0, 13_000, 200, 360), 5_000_000, 1);
        assertThat(prediction).isEqualTo(new Prediction(13_000, 5_000_160));
        assertThat(RevealSchedule.revealRound(prediction.revealBlock(), 5_000_000, 1_780_000_000.0))
                .isEqualTo(29_066_196);
    }

    @Test
    void bittensorDrandVectors() {
        assertThat(RevealSchedule.stateful(new EpochState(10, 0, 0, 0, 50), 10, 1)
                        .revealBlock())
                .isEqualTo(60);
        assertThat(RevealSchedule.stateful(new EpochState(80, 95, 0, 11, 20), 91, 1)
                        .revealBlock())
                .isEqualTo(95);
    }

    @Test
    void aCommitInABlockThatFiresBelongsToTheNewEpochAndRevealsATempoLater() {
        Prediction prediction = RevealSchedule.stateful(new EpochState(4_999_641, 0, 13_000, 359, 360), 5_000_000, 1);
        assertThat(prediction).isEqualTo(new Prediction(13_001, 5_000_361));
        assertThat(RevealSchedule.stateful(new EpochState(4_999_800, 0, 13_000, 200, 360), 5_000_000, 3)
                        .revealBlock())
                .isEqualTo(5_000_160 + 2 * 360);
    }

    @Test
    void theLegacyFormula() {
        Prediction legacy = RevealSchedule.legacy(5_000_000, 9, 360, 1);
        assertThat(legacy.revealBlock()).isEqualTo(5_000_201);
        assertThat(RevealSchedule.revealRound(1, 1_000, 0)).isEqualTo(1);
        assertThatThrownBy(() -> RevealSchedule.stateful(new EpochState(0, 0, 0, 0, 0), 10, 1))
                .hasMessageContaining("tempo 0");
    }
}
