package io.pretrain4j.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String TOKEN = "hf_Tok/en+With=Specials";

    @Test
    void everySpellingOfARegisteredSecretIsMasked() {
        String basic = Base64.getEncoder().encodeToString(("api:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        Secrets.register(TOKEN, "Bearer " + TOKEN, basic);
        String base64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        String text = "raw " + TOKEN + ", url " + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + ", base64 "
                + base64 + ", basic Basic " + basic + ", url-safe "
                + Base64.getUrlEncoder().withoutPadding().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        String redacted = Secrets.redact(text);
        assertThat(redacted)
                .doesNotContain(TOKEN)
                .doesNotContain(base64)
                .doesNotContain(basic)
                .doesNotContain("Tok%2Fen")
                .isEqualTo(
                        "raw <redacted>, url <redacted>, base64 <redacted>, basic Basic <redacted>, url-safe <redacted>");
        assertThat(new Pretrain4jException(
                                DomainErrorCode.INVALID_ARGUMENT, "server said: Authorization: Bearer " + TOKEN)
                        .getMessage())
                .isEqualTo("server said: Authorization: <redacted>");
    }

    @Test
    void shortValuesAndNullAreLeftAlone() {
        Secrets.register("abc");
        Secrets.register(null);
        assertThat(Secrets.redact("abc abc")).isEqualTo("abc abc");
        assertThat(Secrets.redact(null)).isNull();
    }
}
