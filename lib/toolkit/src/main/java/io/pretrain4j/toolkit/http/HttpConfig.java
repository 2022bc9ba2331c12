package io.pretrain4j.toolkit.http;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How an adapter talks to an HTTP service (the Hugging Face Hub, W&amp;B): where, with which secret,
 * how long to wait, how slow a transfer may be, how often and how patiently to retry. One record for
 * every HTTP adapter, read one way ({@link #read}); {@link #toString()} never shows the secret.
 *
 * @param endpoint the service's base URL, without a trailing slash
 * @param secret the token or API key, when one is configured
 * @param timeout until the response headers
 * @param readTimeout without a byte, a transfer is cut (and resumed)
 * @param minThroughput bytes/s a file must average once past the read timeout
 * @param attempts tries per request or file
 * @param retryDelay the first wait between tries, doubled after each
 * @param maxRetryDelay the longest wait between tries, {@code Retry-After} included
 */
public record HttpConfig(
        URI endpoint,
        Optional<String> secret,
        Duration timeout,
        Duration readTimeout,
        long minThroughput,
        int attempts,
        Duration retryDelay,
        Duration maxRetryDelay) {
    /** The keys {@link #read} reads besides the endpoint and the secret; a factory declares their defaults. */
    public static final List<String> KEYS =
            List.of("timeout", "read-timeout", "min-throughput", "attempts", "retry-delay", "max-retry-delay");

    public HttpConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(retryDelay, "retryDelay is null");
        requireNonNull(maxRetryDelay, "maxRetryDelay is null");
    }

    /**
     * Reads the endpoint ({@code endpointKey}, an http(s) URL, trailing slashes dropped), the secret
     * ({@code secretKey}, blank for none) and {@link #KEYS}, their defaults from {@code config}'s.
     */
    public static HttpConfig read(FactoryConfig config, String endpointKey, String secretKey) {
        String text = config.string(endpointKey);
        URI endpoint = URI.create("http://invalid");
        try {
            endpoint = URI.create(text.replaceAll("/+$", ""));
            if (!List.of("http", "https").contains(String.valueOf(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                config.problem(endpointKey + " '" + text + "' must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            config.problem(endpointKey + " '" + text + "' is not a URL");
        }
        return new HttpConfig(
                endpoint,
                config.optional(secretKey).filter(s -> !s.isBlank()),
                config.duration("timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                config.duration("read-timeout", Duration.ofMillis(10), Duration.ofHours(1)),
                config.integer("min-throughput", 1, Long.MAX_VALUE),
                (int) config.integer("attempts", 1, 100),
                config.duration("retry-delay", Duration.ZERO, Duration.ofMinutes(10)),
                config.duration("max-retry-delay", Duration.ZERO, Duration.ofHours(1)));
    }

    /** The same with {@code tries} attempts per request. */
    public HttpConfig withAttempts(int tries) {
        return new HttpConfig(endpoint, secret, timeout, readTimeout, minThroughput, tries, retryDelay, maxRetryDelay);
    }

    @Override
    public String toString() {
        return "HttpConfig[endpoint=" + endpoint + ", secret=" + (secret.isPresent() ? "<set>" : "<none>")
                + ", attempts=" + attempts + "]";
    }
}
