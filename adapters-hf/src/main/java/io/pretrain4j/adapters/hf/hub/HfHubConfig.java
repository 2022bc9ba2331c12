package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.domain.Secrets;
import io.pretrain4j.toolkit.config.FactoryConfig;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code hf} store's settings, read once from its keys: {@code endpoint} (the launchers pass
 * {@code $HF_ENDPOINT}), {@code token} (the launchers pass {@code $HF_TOKEN}; sent as Bearer to the Hub
 * only, never to a CDN it redirects to, never logged) and the HTTP keys of {@link HttpConfig}
 * ({@code read-timeout}: without a byte a transfer is cut and resumed; {@code min-throughput}: bytes/s a
 * file must average once past the read timeout; {@code retry-delay} doubles; {@code max-retry-delay}
 * caps {@code Retry-After} too). The defaults are {@link #DEFAULTS}.
 *
 * @param http the connection
 */
public record HfHubConfig(HttpConfig http) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            "endpoint", "https://huggingface.co",
            "timeout", "30s",
            "read-timeout", "60s",
            "min-throughput", "65536",
            "attempts", "5",
            "retry-delay", "1s",
            "max-retry-delay", "60s");

    private static final Set<String> KEYS = keys();

    /** Reads and checks {@code values}, listing every problem at once. */
    public static HfHubConfig from(Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(HfHubStoreFactory.NAME, values, DEFAULTS, KEYS);
        HttpConfig http = HttpConfig.read(config, "endpoint", "token");
        http.secret().ifPresent(token -> Secrets.register(token, "Bearer " + token));
        config.done();
        return new HfHubConfig(http);
    }

    private static Set<String> keys() {
        Set<String> keys = new HashSet<>(HttpConfig.KEYS);
        keys.add("endpoint");
        keys.add("token");
        return Set.copyOf(keys);
    }
}
