package io.pretrain4j.domain.scoring;

import static io.pretrain4j.domain.Golden.asDouble;
import static io.pretrain4j.domain.Golden.asInt;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompetitionWeightsTest {
    private static final EmaRule REFERENCE = new EmaRule(0.5, true);

    @Test
    void emaAndRewardMixMatchTheReferenceTracker() {
        CompetitionWeights weights = CompetitionWeights.empty(16);
        Map<Integer, Double> shares = Map.of(2, 0.3, 4, 0.7);
        for (Object item : list(Golden.load("scoring.json").get("ema"))) {
            Map<String, Object> step = map(item);
            Map<Integer, Double> stepWeights = new HashMap<>();
            map(step.get("stepWeights")).forEach((uid, w) -> stepWeights.put(Integer.valueOf(uid), asDouble(w)));
            weights = weights.record(asInt(step.get("competition")), stepWeights, REFERENCE);
            double[] subnet = weights.subnetWeights(shares);
            List<Object> expected = list(step.get("subnetWeights"));
            for (int uid = 0; uid < 16; uid++) {
                assertThat(subnet[uid])
                        .as("uid %d after %s", uid, step)
                        .isCloseTo(asDouble(expected.get(uid)), within(1e-15));
            }
            Map<String, Object> chain = map(step.get("chain"));
            ChainWeights converted = ChainWeights.fromVector(subnet);
            assertThat(converted.uids())
                    .containsExactly(list(chain.get("uids")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
            assertThat(converted.values())
                    .containsExactly(list(chain.get("values")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
        }
    }

    @Test
    void firstRecordTakesTheNewValueThenHalvesTowardsIt() {
        CompetitionWeights weights = CompetitionWeights.empty(3).record(1, Map.of(0, 3.0, 1, 1.0), REFERENCE);
        assertThat(weights.weightsOf(1)).containsExactly(0.75, 0.25, 0.0);
        weights = weights.record(1, Map.of(2, 1.0), REFERENCE);
        assertThat(weights.weightsOf(1)).containsExactly(0.375, 0.125, 0.5);
    }

    @Test
    void theWandbEraFoldsIntoZeros() {
        CompetitionWeights weights = CompetitionWeights.empty(2).record(0, Map.of(0, 1.0), new EmaRule(0.9, false));
        assertThat(weights.weightsOf(0)[0]).isCloseTo(0.1, within(1e-15));
    }

    @Test
    void allZeroStepWeightsBecomeZerosNotNaN() {
        CompetitionWeights weights = CompetitionWeights.empty(2).record(0, Map.of(0, 0.0), REFERENCE);
        assertThat(weights.weightsOf(0)).containsExactly(0.0, 0.0);
        assertThat(weights.subnetWeights(Map.of(0, 1.0))).containsExactly(0.0, 0.0);
    }

    @Test
    void competitionsNotRunYetAreLeftOutOfTheMix() {
        CompetitionWeights weights = CompetitionWeights.empty(2).record(2, Map.of(1, 1.0), REFERENCE);
        assertThat(weights.subnetWeights(Map.of(2, 0.3, 4, 0.7))).containsExactly(0.0, 1.0);
    }

    @Test
    void resizeRetainAndValueSemantics() {
        CompetitionWeights weights =
                CompetitionWeights.empty(2).record(2, Map.of(1, 1.0), REFERENCE).record(4, Map.of(0, 1.0), REFERENCE);
        CompetitionWeights grown = weights.resize(4);
        assertThat(grown.weightsOf(2)).containsExactly(0.0, 1.0, 0.0, 0.0);
        assertThat(weights.size()).isEqualTo(2);
        assertThat(grown.retain(List.of(4)).competitions()).containsExactly(4);
        double[] copy = weights.weightsOf(2);
        copy[1] = 99;
        assertThat(weights.weightsOf(2)[1]).isEqualTo(1.0);
    }

    @Test
    void rejectsUidsOutsideTheMetagraphAndCorruptRestores() {
        assertThatThrownBy(() -> CompetitionWeights.empty(2).record(0, Map.of(5, 1.0), REFERENCE))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("uid 5 is outside the metagraph of 2");
        assertThatThrownBy(() -> CompetitionWeights.of(2, Map.of(1, new double[] {0.5, Double.NaN})))
                .hasMessageContaining("uid 1 has weight NaN");
        assertThatThrownBy(() -> CompetitionWeights.of(2, Map.of(1, new double[] {0.5})))
                .hasMessageContaining("has 1 weights, expected 2");
    }
}
