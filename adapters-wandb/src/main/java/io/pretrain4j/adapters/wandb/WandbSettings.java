package io.pretrain4j.adapters.wandb;

import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The connection keys both W&amp;B factories read: {@code base-url} (the launchers pass {@code $WANDB_BASE_URL}; default
 * or {@code https://api.wandb.ai}), {@code api-key} (the launchers pass {@code $WANDB_API_KEY}; sent as HTTP
 * Basic {@code api:<key>} to the API's origin only, never logged), {@code timeout} (30s until the
 * headers), {@code read-timeout} (60s without a byte cuts a file transfer, which then resumes),
 * {@code min-throughput} (65536 bytes/s: a file transfer slower than this on average, past the first read
 * timeout, is cut and resumed, as the Hub's store does),
 * {@code attempts} (5), {@code retry-delay} (1s, doubled per retry), {@code max-retry-delay} (20s,
 * the SDK's retry window).
 */
final class WandbSettings {
    static final List<String> KEYS = List.of(
            "base-url",
            "api-key",
            "timeout",
            "read-timeout",
            "min-throughput",
            "attempts",
            "retry-delay",
            "max-retry-delay");

    private WandbSettings() {}

    static WandbHttp.Settings read(FactoryConfig config) {
        String text = config.string("base-url", "https://api.wandb.ai");
        URI base = URI.create("https://api.wandb.ai");
        try {
            base = URI.create(text.replaceAll("/+$", ""));
            if (!List.of("http", "https").contains(String.valueOf(base.getScheme())) || base.getHost() == null) {
                config.problem("base-url '" + text + "' must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            config.problem("base-url '" + text + "' is not a URL");
        }
        Optional<String> key = config.optional("api-key").filter(k -> !k.isBlank());
        // as sent: HTTP Basic of "api:<key>" (WandbHttp), which a proxy may echo back
        key.ifPresent(k -> io.pretrain4j.domain.Secrets.register(
                k, Base64.getEncoder().encodeToString(("api:" + k).getBytes(StandardCharsets.UTF_8))));
        return new WandbHttp.Settings(
                base,
                key,
                config.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMinutes(10)),
                config.duration("read-timeout", Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofHours(1)),
                config.integer("min-throughput", 65_536, 1, Long.MAX_VALUE),
                (int) config.integer("attempts", 5, 1, 100),
                config.duration("retry-delay", Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(10)),
                config.duration("max-retry-delay", Duration.ofSeconds(20), Duration.ZERO, Duration.ofHours(1)));
    }

    /** A W&amp;B entity or project name as used in paths: letters, digits, '-', '_', '.'. */
    static void checkName(FactoryConfig config, String key, String value) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            config.problem(key + " '" + value + "' is not a W&B name (letters, digits, '.', '_', '-')");
        }
    }
}
