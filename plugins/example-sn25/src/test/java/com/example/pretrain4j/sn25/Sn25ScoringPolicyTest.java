package com.example.pretrain4j.sn25;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.scoring.EpsilonSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Sn25ScoringPolicyTest {
    @Test
    void rewardsFollowTheSubnet25Rule() {
        List<ModelEvaluation> models = new ArrayList<>();
        for (int uid = 0; uid < 10; uid++) {
            models.add(ModelEvaluation.of(uid, 3.0 + 0.01 * uid, 1));
        }
        models.add(ModelEvaluation.of(10, 9.0, 1)); // an outlier: far above the others
        models.add(ModelEvaluation.of(11, Double.POSITIVE_INFINITY, 1)); // no response
        StepScore step = new Sn25PolicyFactory()
                .create(Map.of())
                .score(ScoringTime.block(100), EpsilonSchedule.fixed(0.005), models);
        for (int uid = 0; uid < 10; uid++) {
            assertThat(step.weights().get(uid)).isEqualTo(1.0);
        }
        assertThat(step.weights().get(10)).isEqualTo(0.3);
        assertThat(step.weights().get(11)).isEqualTo(0.1);
        assertThat(step.competitiveUids()).hasSize(11).doesNotContain(11);
        assertThat(new Sn25PolicyFactory().create(Map.of()).ema().alpha()).isEqualTo(0.95);
    }

    @Test
    void equalLossesAreAllWithinAndConfigIsChecked() {
        StepScore step = new Sn25PolicyFactory()
                .create(Map.of("outlier-threshold", "1"))
                .score(
                        ScoringTime.block(1),
                        EpsilonSchedule.fixed(0),
                        List.of(ModelEvaluation.of(1, 2.0, 1), ModelEvaluation.of(2, 2.0, 1)));
        assertThat(step.weights()).containsEntry(1, 1.0).containsEntry(2, 1.0);
        assertThatThrownBy(() -> new Sn25PolicyFactory().create(Map.of("treshold", "1")))
                .hasMessageContaining("unknown key 'treshold'");
    }
}
