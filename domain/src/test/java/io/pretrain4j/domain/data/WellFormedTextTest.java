package io.pretrain4j.domain.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WellFormedTextTest {
    @Test
    void loneSurrogatesBecomeTheReplacementCharacterAndPairsStay() {
        assertThat(WellFormedText.of("abc\ud800def")).isEqualTo("abc\ufffddef");
        assertThat(WellFormedText.of("abc\udc00def")).isEqualTo("abc\ufffddef");
        assertThat(WellFormedText.of("\udc00\ud800")).isEqualTo("\ufffd\ufffd");
        assertThat(WellFormedText.of("\ud800\ud800\udc00")).isEqualTo("\ufffd\ud800\udc00");
        assertThat(WellFormedText.of("tail\ud83d")).isEqualTo("tail\ufffd");
        String clean = "emoji \ud83d\ude42 ok";
        assertThat(WellFormedText.of(clean)).isSameAs(clean);
        // the result always survives a UTF-8 round trip unchanged
        String mixed = WellFormedText.of("a\udfff\ud83d\ude42\ud800b");
        assertThat(new String(mixed.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(mixed);
    }
}
