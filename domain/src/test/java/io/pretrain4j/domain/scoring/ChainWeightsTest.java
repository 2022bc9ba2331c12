package io.pretrain4j.domain.scoring;

import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainWeightsTest {
    @Test
    void convertsLikeThePythonSdk() {
        for (Object item : list(Golden.load("scoring.json").get("u16"))) {
            Map<String, Object> testCase = map(item);
            double[] weights = list(testCase.get("weights")).stream()
                    .mapToDouble(Golden::asDouble)
                    .toArray();
            ChainWeights chain = ChainWeights.fromVector(weights);
            assertThat(chain.uids())
                    .as("%s", testCase)
                    .containsExactly(list(testCase.get("uids")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
            assertThat(chain.values())
                    .as("%s", testCase)
                    .containsExactly(list(testCase.get("values")).stream()
                            .mapToInt(Golden::asInt)
                            .toArray());
        }
    }

    @Test
    void roundsHalfToEvenAsPythonRoundDoes() {
        ChainWeights chain = ChainWeights.fromFloats(new int[] {7, 8, 9}, new double[] {65535, 0.5, 1.5});
        assertThat(chain.uids()).containsExactly(7, 9);
        assertThat(chain.values()).containsExactly(65535, 2);
    }

    @Test
    void theLargestWeightAlwaysBecomes65535() {
        SplittableRandom random = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            double[] weights = new double[1 + random.nextInt(256)];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = random.nextInt(3) == 0 ? 0 : random.nextDouble();
            }
            ChainWeights chain = ChainWeights.fromVector(weights);
            if (chain.isEmpty()) {
                continue;
            }
            assertThat(chain.values()).contains(ChainWeights.U16_MAX);
            assertThat(java.util.Arrays.stream(chain.values()).allMatch(v -> v > 0 && v <= ChainWeights.U16_MAX))
                    .isTrue();
        }
    }

    @Test
    void refusesNaNNegativeAndMismatchedInput() {
        assertThatThrownBy(() -> ChainWeights.fromVector(new double[] {0.5, Double.NaN}))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("uid 1 has weight NaN");
        assertThatThrownBy(() -> ChainWeights.fromVector(new double[] {-0.1, 1}))
                .hasMessageContaining("uid 0 has weight -0.1");
        assertThatThrownBy(() -> ChainWeights.fromFloats(new int[] {1}, new double[] {1, 2}))
                .hasMessageContaining("1 uids and 2 weights");
        assertThat(ChainWeights.fromVector(new double[] {0, 0}).isEmpty()).isTrue();
    }
}
