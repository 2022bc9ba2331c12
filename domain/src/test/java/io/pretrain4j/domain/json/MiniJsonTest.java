package io.pretrain4j.domain.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniJsonTest {
    @Test
    void readsEveryKindOfValue() {
        Object value = MiniJson.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        assertThat(value).isEqualTo(Map.of("a", List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false,
                MiniJson.NULL, "x\u00e9\n"), "b", Map.of()));
    }

    @Test
    void rejectsWhatJsonDoesNotAllow() {
        assertThatThrownBy(() -> MiniJson.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("duplicate key 'a'");
        assertThatThrownBy(() -> MiniJson.parse("[1, 2,]")).hasMessageContaining("unexpected character ']'");
        assertThatThrownBy(() -> MiniJson.parse("{} x")).hasMessageContaining("unexpected text after the document");
        assertThatThrownBy(() -> MiniJson.parse("01")).hasMessageContaining("unexpected text");
        assertThatThrownBy(() -> MiniJson.parse("\"abc")).hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> MiniJson.parse("[".repeat(100))).hasMessageContaining("nesting deeper than 64");
        assertThatThrownBy(() -> MiniJson.parse("\"\t\"")).hasMessageContaining("control character");
    }
}
