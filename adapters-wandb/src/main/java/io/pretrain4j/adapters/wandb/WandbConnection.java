package io.pretrain4j.adapters.wandb;

import io.pretrain4j.domain.Secrets;
import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The connection keys both W&amp;B factories read: {@code base-url} (the launchers pass
 * {@code $WANDB_BASE_URL}), {@code api-key} (the launchers pass {@code $WANDB_API_KEY}; sent as HTTP Basic
 * {@code api:<key>} to the API's origin only, never logged) and the HTTP keys of {@link HttpConfig}
 * ({@code read-timeout}: without a byte a file transfer is cut and resumed; {@code min-throughput}: a file
 * slower than this on average past the first read timeout is cut and resumed, as the Hub's store does;
 * {@code max-retry-delay}: the SDK's retry window).
 */
final class WandbConnection {
    /** The connection's defaults, the same for the store and the run logger. */
    static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            "base-url", "https://api.wandb.ai",
            "timeout", "30s",
            "read-timeout", "60s",
            "min-throughput", "65536",
            "attempts", "5",
            "retry-delay", "1s",
            "max-retry-delay", "20s");

    private WandbConnection() {}

    /** The connection keys with {@code more} keys of one factory. */
    static List<String> keys(String... more) {
        List<String> keys = new ArrayList<>(HttpConfig.KEYS);
        keys.add("base-url");
        keys.add("api-key");
        keys.addAll(List.of(more));
        return keys;
    }

    static HttpConfig read(FactoryConfig config) {
        HttpConfig http = HttpConfig.read(config, "base-url", "api-key");
        // as sent: HTTP Basic of "api:<key>" (WandbHttp), which a proxy may echo back
        http.secret()
                .ifPresent(key -> Secrets.register(
                        key, Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8))));
        return http;
    }

    /** A W&amp;B entity or project name as used in paths: letters, digits, '-', '_', '.'. */
    static void checkName(FactoryConfig config, String key, String value) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            config.problem(key + " '" + value + "' is not a W&B name (letters, digits, '.', '_', '-')");
        }
    }
}
