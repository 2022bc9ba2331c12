package io.pretrain4j.toolkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactoryConfigTest {
    /** Issue 20: a plugin's number past a long (HOCON passes 99999999999999999999 as "1.0E20") is out of range, named. */
    @Test
    void integersAreReadExactlyAndRangeChecked() {
        FactoryConfig config = new FactoryConfig(
                "test",
                Map.of("a", "1.0E20", "b", "99999999999999999999", "c", "1_000", "d", "2.5", "e", "1e3"),
                Set.of("a", "b", "c", "d", "e"));
        assertThat(config.integer("c", 0, 0, 10_000)).isEqualTo(1000);
        assertThat(config.integer("e", 0, 0, 10_000)).isEqualTo(1000);
        assertThat(config.integer("a", 7, 0, Long.MAX_VALUE)).isEqualTo(7);
        assertThat(config.integer("b", 7, 0, 100)).isEqualTo(7);
        assertThat(config.integer("d", 7, 0, 100)).isEqualTo(7);
        assertThatThrownBy(config::done)
                .hasMessageContaining("a 100000000000000000000 must be in [0, 9223372036854775807]")
                .hasMessageContaining("b 99999999999999999999 must be in [0, 100]")
                .hasMessageContaining("d '2.5' is not an integer");
    }
}
