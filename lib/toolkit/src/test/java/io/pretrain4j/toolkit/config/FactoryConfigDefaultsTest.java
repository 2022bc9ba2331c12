package io.pretrain4j.toolkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Defaults declared once, as an operator writes them, and read through the same parsers as the values. */
class FactoryConfigDefaultsTest {
    private static final Map<String, String> DEFAULTS =
            FactoryConfig.defaults("timeout", "30s", "attempts", "5", "tls", "true", "endpoint", "https://example.org");
    private static final Set<String> KEYS = Set.of("timeout", "attempts", "tls", "endpoint", "token");

    @Test
    void keysLeftOutTakeTheDeclaredDefaultsAndGivenOnesWin() {
        FactoryConfig config = new FactoryConfig("f", Map.of("attempts", "7"), DEFAULTS, KEYS);
        assertThat(config.duration("timeout", Duration.ZERO, Duration.ofHours(1)))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(config.integer("attempts", 1, 100)).isEqualTo(7);
        assertThat(config.bool("tls")).isTrue();
        assertThat(config.string("endpoint")).isEqualTo("https://example.org");
        config.done();
        assertThat(DEFAULTS.keySet())
                .as("declaration order is kept")
                .containsExactly("timeout", "attempts", "tls", "endpoint");
    }

    @Test
    void aGivenValueIsCheckedAsBeforeAndEveryProblemListed() {
        FactoryConfig config = new FactoryConfig("f", Map.of("attempts", "0", "timeout", "soon"), DEFAULTS, KEYS);
        config.integer("attempts", 1, 100);
        config.duration("timeout", Duration.ZERO, Duration.ofHours(1));
        assertThatThrownBy(config::done)
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("attempts 0 must be in [1, 100]")
                .hasMessageContaining("timeout 'soon' is not a duration");
    }

    @Test
    void aReadWithoutADeclaredDefaultOrADefaultThatDoesNotParseIsAProgrammingError() {
        FactoryConfig config = new FactoryConfig("f", Map.of(), DEFAULTS, KEYS);
        assertThatThrownBy(() -> config.string("token"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no default");
        FactoryConfig broken = new FactoryConfig("f", Map.of(), FactoryConfig.defaults("attempts", "five"), KEYS);
        assertThatThrownBy(() -> broken.integer("attempts", 1, 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'five'");
        assertThatThrownBy(() -> new FactoryConfig("f", Map.of(), FactoryConfig.defaults("other", "1"), KEYS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FactoryConfig.defaults("a", "1", "a", "2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FactoryConfig.defaults(DEFAULTS, "timeout", "1s"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FactoryConfig.defaults(DEFAULTS, "token", "none").keySet())
                .as("shared defaults first, in order")
                .containsExactly("timeout", "attempts", "tls", "endpoint", "token");
    }
}
