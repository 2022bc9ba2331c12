package io.pretrain4j.formats.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.schedule.EvalTask;
import io.pretrain4j.domain.schedule.ScheduleEra;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleFilesTest {
    private static final long BLOCK_TTS = 5_177_981;
    private static final long GIB = 1L << 30;

    @Test
    void theShippedSn9ScheduleHasTheReferenceEras() {
        CompetitionSchedule schedule = ScheduleFiles.sn9();
        assertThat(schedule.eras()).extracting(ScheduleEra::startBlock).containsExactly(0L, BLOCK_TTS);

        List<Competition> before = schedule.constraintsAt(BLOCK_TTS - 1);
        assertThat(before).extracting(Competition::name).containsExactly("B3", "B14");
        assertThat(before).extracting(Competition::rewardShare).containsExactly(0.3, 0.7);
        Competition b3 = before.get(0);
        assertThat(b3.id()).isEqualTo(2);
        assertThat(b3.constraints().sequenceLength()).isEqualTo(4096);
        assertThat(b3.constraints().tokenizer()).isEqualTo("Xenova/gpt-4");
        assertThat(b3.constraints().maxBytes()).isEqualTo(15 * GIB);
        assertThat(b3.constraints().evalBlockDelay()).isEqualTo(250);
        assertThat(b3.constraints().epsilon()).isEqualTo(EpsilonSchedule.linearDecay(0.005, 0.0005, 50400));
        assertThat(b3.constraints().allowsParameters(3_300_000_000L)).isTrue();
        assertThat(b3.constraints().allowsParameters(3_400_000_001L)).isFalse();
        assertThat(b3.constraints().allowedArchitectures())
                .contains("LlamaForCausalLM", "Qwen2ForCausalLM")
                .doesNotContain("GPT2LMHeadModel");
        assertThat(b3.evalTasks())
                .extracting(EvalTask::name)
                .containsExactly("FINEWEB", "FINEWEB_EDU2", "STACKV2_DEDUP", "PES2OX", "FINEMATH_3P", "INFIWEBMATH_3P");
        assertThat(b3.evalTasks().get(2).datasetKwargs()).containsEntry("num_pages", "30");

        List<Competition> after = schedule.constraintsAt(BLOCK_TTS);
        assertThat(after).extracting(Competition::name).containsExactly("TTS_V0", "B3", "B14");
        assertThat(after).extracting(Competition::rewardShare).containsExactly(0.55, 0.15, 0.3);
        assertThat(after.get(2).constraints().epsilon()).isEqualTo(EpsilonSchedule.linearDecay(0.005, 0.0001, 14400));
        assertThat(after.get(0).constraints().maxBytes()).isEqualTo(2 * GIB);
        assertThat(schedule.competitionAt(BLOCK_TTS, 4)).map(Competition::name).contains("B14");
        assertThat(schedule.competitionAt(BLOCK_TTS - 1, 6)).isEmpty();
    }

    @Test
    void listsEveryProblemOfABadScheduleAtOnce() {
        String json = """
                {"name": "bad", "eras": [
                  {"startBlock": 10, "competitions": [
                    {"id": 1, "name": "A", "rewardShare": 0.5, "colour": "red",
                     "constraints": {"minParameters": 10, "maxParameters": 5, "sequenceLength": 8, "architectures": [],
                        "tokenizer": "gpt2", "evalBlockDelay": 0, "epsilon": {"kind": "cubic"}, "maxBytes": 0},
                     "evalTasks": [{"name": "T", "method": "TEXT_LOSS", "dataset": "LOCAL", "normalization": "NONE", "weight": 0.7}]}
                  ]}
                ]}""";
        assertThatThrownBy(() -> ScheduleFiles.parse(json, "bad.json"))
                .isInstanceOfSatisfying(
                        Pretrain4jException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(DomainErrorCode.INVALID_SCHEDULE))
                .hasMessageContaining("Schedule bad.json has 7 problem(s)")
                .hasMessageContaining("$.eras[0].competitions: reward shares sum to 0.5, must be 1")
                .hasMessageContaining("unknown key 'colour'")
                .hasMessageContaining("minParameters 10 exceeds maxParameters 5")
                .hasMessageContaining("architectures: at least one architecture is required")
                .hasMessageContaining("epsilon.kind: 'cubic' is not 'fixed' or 'linear-decay'")
                .hasMessageContaining("maxBytes: must be positive")
                .hasMessageContaining("evalTasks: task weights sum to 0.7, must be 1");
    }

    @Test
    void malformedJsonNamesThePlace() {
        assertThatThrownBy(() -> ScheduleFiles.parse("{\"name\": \"x\",\n \"eras\": [}", "broken.json"))
                .hasMessageContaining("Schedule broken.json is not valid JSON")
                .hasMessageContaining("line 2");
    }

    @Test
    void blocksBeforeTheFirstEraHaveNoCompetition() {
        String json = """
                {"name": "late", "eras": [{"startBlock": 100, "competitions": [
                  {"id": 0, "name": "A", "rewardShare": 1,
                   "constraints": {"minParameters": 0, "maxParameters": 5, "sequenceLength": 8, "architectures": ["GPT2LMHeadModel"],
                      "tokenizer": "gpt2", "evalBlockDelay": 0, "epsilon": {"kind": "fixed", "value": 0.005}, "maxBytes": 10},
                   "evalTasks": [{"name": "T", "method": "TEXT_LOSS", "dataset": "LOCAL", "normalization": "NONE", "weight": 1}]}]}]}""";
        CompetitionSchedule schedule = ScheduleFiles.parse(json, "late.json");
        assertThat(schedule.constraintsAt(100)).hasSize(1);
        assertThatThrownBy(() -> schedule.constraintsAt(99)).hasMessageContaining("starts at block 100");
    }
}
