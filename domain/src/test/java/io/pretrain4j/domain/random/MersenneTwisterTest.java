package io.pretrain4j.domain.random;

import static io.pretrain4j.domain.Golden.asInt;
import static io.pretrain4j.domain.Golden.asLong;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Against sequences CPython's random.Random produced (golden/mt19937.json). */
class MersenneTwisterTest {
    @Test
    void reproducesCPythonBitForBit() {
        Map<String, Object> golden = Golden.load("mt19937.json");
        int checked = 0;
        for (Object item : list(golden.get("cases"))) {
            Map<String, Object> testCase = map(item);
            BigInteger seed = new BigInteger((String) testCase.get("seed"));
            MersenneTwister twister = MersenneTwister.seeded(seed);
            for (Object opItem : list(testCase.get("ops"))) {
                Map<String, Object> op = map(opItem);
                String context = "seed " + seed + " op " + op;
                switch ((String) op.get("op")) {
                    case "getrandbits" ->
                        assertThat(twister.getrandbits(asInt(op.get("k"))))
                                .as(context)
                                .isEqualTo(new BigInteger((String) op.get("result")));
                    case "randint" ->
                        assertThat(twister.randint(asLong(op.get("a")), asLong(op.get("b"))))
                                .as(context)
                                .isEqualTo(asLong(op.get("result")));
                    case "random" ->
                        assertThat(twister.random()).as(context).isEqualTo(Double.parseDouble((String)
                                op.get("result")));
                    case "choice" ->
                        assertThat(twister.choice(IntStream.range(0, asInt(op.get("n")))
                                        .boxed()
                                        .toList()))
                                .as(context)
                                .isEqualTo(asInt(op.get("result")));
                    case "shuffle" -> {
                        List<Integer> items = new ArrayList<>(
                                IntStream.range(0, asInt(op.get("n"))).boxed().toList());
                        twister.shuffle(items);
                        assertThat(items)
                                .as(context)
                                .isEqualTo(list(op.get("result")).stream()
                                        .map(Golden::asInt)
                                        .toList());
                    }
                    case "fold2000" -> {
                        BigInteger modulus = BigInteger.TWO.pow(61).subtract(BigInteger.ONE);
                        BigInteger total = BigInteger.ZERO;
                        for (int i = 0; i < 2000; i++) {
                            total = total.multiply(BigInteger.valueOf(31))
                                    .add(BigInteger.valueOf(twister.nextUnsignedInt()))
                                    .mod(modulus);
                        }
                        assertThat(total).as(context).isEqualTo(new BigInteger((String) op.get("result")));
                    }
                    default -> throw new AssertionError("unknown op " + op);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void reseedingRestartsTheSequence() {
        MersenneTwister twister = MersenneTwister.seeded(42);
        long first = twister.nextUnsignedInt();
        twister.nextUnsignedInt();
        twister.seed(BigInteger.valueOf(42));
        assertThat(twister.nextUnsignedInt()).isEqualTo(first);
    }

    @Test
    void rejectsEmptyRanges() {
        MersenneTwister twister = MersenneTwister.seeded(1);
        assertThatThrownBy(() -> twister.randint(5, 4))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("empty range");
        assertThatThrownBy(() -> twister.choice(List.of())).hasMessageContaining("empty sequence");
        assertThatThrownBy(() -> twister.getrandbits(-1)).hasMessageContaining("non-negative");
    }

    @Test
    void randbelowStaysInRangeForEveryBitLength() {
        MersenneTwister twister = MersenneTwister.seeded(3);
        for (int bits = 1; bits < 63; bits++) {
            long bound = (1L << bits) - 1 + (bits % 2);
            for (int i = 0; i < 50; i++) {
                assertThat(twister.randbelow(bound)).isBetween(0L, bound - 1);
            }
        }
    }
}
