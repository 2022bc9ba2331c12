package io.pretrain4j.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** Issue 20: the W&B key appeared base64-encoded in a warning; every log line goes through this formatter. */
class RedactingFormatterTest {
    @Test
    void logLinesLoseEverySecretInMessageParametersAndStackTrace() {
        String key = "wandb-LogSecret-0042";
        String basic = Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
        Secrets.register(key, basic);
        LogRecord record = new LogRecord(Level.WARNING, "W&B said: {0}");
        record.setParameters(new Object[] {"proxy echoed Authorization: Basic " + basic});
        record.setThrown(new IllegalStateException("while sending with key " + key));
        record.setLoggerName("io.pretrain4j.adapters.wandb.WandbHttp");
        String line = new Logging.RedactingFormatter(new SimpleFormatter()).format(record);
        assertThat(line)
                .contains("Basic <redacted>", "while sending with key <redacted>")
                .doesNotContain(key)
                .doesNotContain(basic);
    }
}
