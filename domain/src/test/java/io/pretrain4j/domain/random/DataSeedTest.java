package io.pretrain4j.domain.random;

import static io.pretrain4j.domain.Golden.asLong;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSeedTest {
    private static final Map<String, Object> GOLDEN = Golden.load("data-seed.json");

    @Test
    void seedIsTheIntegerOfTheSha256OfTheHashString() {
        for (Object item : list(GOLDEN.get("seeds"))) {
            Map<String, Object> entry = map(item);
            assertThat(DataSeed.fromBlockHash((String) entry.get("blockHash")))
                    .isEqualTo(new BigInteger((String) entry.get("seed")));
        }
    }

    @Test
    void syncBlockRoundsDownToTheCadence() {
        for (Object item : list(GOLDEN.get("syncBlocks"))) {
            Map<String, Object> entry = map(item);
            assertThat(DataSeed.syncBlock(asLong(entry.get("block")))).isEqualTo(asLong(entry.get("syncBlock")));
        }
    }

    @Test
    void theCaseOfTheHexDigitsMattersAsInTheReference() {
        assertThat(DataSeed.fromBlockHash("0xAB")).isNotEqualTo(DataSeed.fromBlockHash("0xab"));
    }

    @Test
    void rejectsWhatIsNotABlockHash() {
        assertThatThrownBy(() -> DataSeed.fromBlockHash("ab12"))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("'0x'");
        assertThatThrownBy(() -> DataSeed.fromBlockHash("0xzz")).hasMessageContaining("hex digits");
        assertThatThrownBy(() -> DataSeed.syncBlock(-1)).hasMessageContaining(">= 0");
    }
}
