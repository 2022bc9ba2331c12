package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RemoteModelStoreFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code hf}: the Hugging Face Hub. Keys: {@code endpoint} (the launchers pass {@code $HF_ENDPOINT}; default
 * {@code https://huggingface.co}), {@code token} (the launchers pass {@code $HF_TOKEN}; sent as Bearer to the
 * Hub only, never to a CDN it redirects to, never logged), {@code timeout} (30s per request until
 * headers), {@code read-timeout} (60s without a byte aborts a transfer), {@code min-throughput}
 * (bytes/s a file must average once past the read timeout; default 65536), {@code attempts} (5 per
 * request or file), {@code retry-delay} (1s, doubled), {@code max-retry-delay} (60s, caps
 * {@code Retry-After} too).
 */
public final class HfHubStoreFactory implements RemoteModelStoreFactory {
    /** The factory's name. */
    public static final String NAME = "hf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteModelStore create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(
                NAME,
                config,
                Set.of(
                        "endpoint",
                        "token",
                        "timeout",
                        "read-timeout",
                        "min-throughput",
                        "attempts",
                        "retry-delay",
                        "max-retry-delay"));
        String endpointText = settings.string("endpoint", "https://huggingface.co");
        URI endpoint = URI.create("https://huggingface.co");
        try {
            endpoint = URI.create(endpointText.replaceAll("/+$", ""));
            if (!List.of("http", "https").contains(String.valueOf(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                settings.problem("endpoint '" + endpointText + "' must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            settings.problem("endpoint '" + endpointText + "' is not a URL");
        }
        Optional<String> token = settings.optional("token").filter(t -> !t.isBlank());
        token.ifPresent(t -> io.pretrain4j.domain.Secrets.register(t, "Bearer " + t));
        HubHttp.Settings http = new HubHttp.Settings(
                endpoint,
                token,
                settings.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMinutes(10)),
                settings.duration("read-timeout", Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofHours(1)),
                settings.integer("min-throughput", 65_536, 1, Long.MAX_VALUE),
                (int) settings.integer("attempts", 5, 1, 100),
                settings.duration("retry-delay", Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(10)),
                settings.duration("max-retry-delay", Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1)));
        settings.done();
        return new HfHubStore(new HubHttp(http, duration -> Thread.sleep(duration)));
    }
}
