package io.pretrain4j.formats.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
    @Test
    void readsEveryKindOfValue() {
        Object value = MiniJson.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        assertThat(value)
                .isEqualTo(Map.of(
                        "a",
                        List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, MiniJson.NULL, "x\u00e9\n"),
                        "b",
                        Map.of()));
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

    /** Issue 20: 1e999999999999 threw NumberFormatException out of the reader (a stack trace on every look at a sharded model). */
    @Test
    void hostileNumbersAreSyntaxErrorsWithALocation() {
        assertThatThrownBy(() -> MiniJson.parse("{\"total_size\": 1e999999999999}"))
                .isInstanceOf(MiniJson.JsonSyntaxException.class)
                .hasMessageContaining("number out of range")
                .hasMessageContaining("column 16");
        assertThatThrownBy(() -> MiniJson.parse("[-1e-99999999999999999999]"))
                .isInstanceOf(MiniJson.JsonSyntaxException.class)
                .hasMessageContaining("number out of range");
        assertThatThrownBy(() -> MiniJson.parse("[1e999999]"))
                .isInstanceOf(MiniJson.JsonSyntaxException.class)
                .hasMessageContaining("magnitude beyond 10^4300");
        assertThatThrownBy(() -> MiniJson.parse("[1" + "0".repeat(5000) + "]"))
                .isInstanceOf(MiniJson.JsonSyntaxException.class)
                .hasMessageContaining("number of more than 1000 characters");
        assertThat(MiniJson.parse("[1e300, -2.5e-300]").toString()).isEqualTo("[1E+300, -2.5E-300]");
    }
}
