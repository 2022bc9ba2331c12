package io.pretrain4j.adapters.hf.hub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.toolkit.http.BoundedJson;
import io.pretrain4j.toolkit.http.HttpConfig;
import io.pretrain4j.toolkit.http.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * HTTP to the Hub: Bearer token (to the Hub's own host only), redirects followed by hand (so the
 * token never reaches a CDN), retries of 408/429/5xx and broken connections with exponential
 * backoff and {@code Retry-After}, and errors that carry the Hub's {@code X-Error-Code}.
 */
final class HubHttp implements AutoCloseable {
    /** Service answers, read with the toolkit's bounds ({@link BoundedJson}). */
    static final ObjectMapper MAPPER = BoundedJson.mapper();

    private static final System.Logger LOG = System.getLogger(HubHttp.class.getName());

    /** Sleeps between retries; tests record the waits. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A response whose body has been read (small bodies only). */
    record Reply(int status, HttpHeaders headers, byte[] body) {
        JsonNode json(String what) {
            try {
                JsonNode node = MAPPER.readTree(body);
                if (node == null) {
                    throw new IOException("empty body");
                }
                return node;
            } catch (IOException e) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE,
                        what + ": the Hub's answer is not JSON (" + e.getMessage() + ")");
            }
        }
    }

    final HttpConfig settings;
    private final Sleeper sleeper;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    HubHttp(HttpConfig settings, Sleeper sleeper) {
        this.settings = requireNonNull(settings, "settings is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    URI api(String path) {
        return URI.create(settings.endpoint() + path);
    }

    /** A request builder with the token when {@code uri} is on the Hub's host. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("User-Agent", "pretrain4j");
        if (settings.secret().isPresent() && sameOrigin(uri)) {
            builder.header("Authorization", "Bearer " + settings.secret().get());
        }
        return builder;
    }

    private boolean sameOrigin(URI uri) {
        return uri.getHost() != null
                && uri.getHost().equalsIgnoreCase(settings.endpoint().getHost())
                && uri.getPort() == settings.endpoint().getPort()
                && uri.getScheme().equalsIgnoreCase(settings.endpoint().getScheme());
    }

    /**
     * Sends with retries and returns the first non-retryable reply (2xx, 3xx, 4xx other than
     * 408/429). {@code build} makes the request for an attempt.
     */
    Reply send(String what, Function<Integer, HttpRequest> build) {
        Duration backoff = settings.retryDelay();
        String last = "no attempt";
        for (int attempt = 1; ; attempt++) {
            Duration wait = backoff;
            try {
                HttpResponse<byte[]> response =
                        http.send(build.apply(attempt), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status != 408 && status != 429 && status < 500) {
                    return new Reply(status, response.headers(), response.body());
                }
                last = "HTTP " + status + describe(response.headers(), response.body());
                Optional<Duration> retryAfter = retryAfter(response.headers());
                if (retryAfter.isPresent()) {
                    wait = retryAfter.get();
                }
            } catch (IOException e) {
                last = "connection failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": interrupted", e);
            }
            if (attempt >= settings.attempts()) {
                String message = what + ": giving up after " + attempt + " attempts; last: " + last;
                LOG.log(System.Logger.Level.ERROR, message);
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, message);
            }
            pause(what, last, wait, attempt);
            backoff = min(backoff.multipliedBy(2), settings.maxRetryDelay());
        }
    }

    /** Waits before retry {@code attempt + 1}, logging why. */
    void pause(String what, String reason, Duration wait, int attempt) {
        Duration capped = min(wait, settings.maxRetryDelay());
        LOG.log(
                System.Logger.Level.WARNING,
                "{0}: {1}; retrying in {2} ms (attempt {3} of {4})",
                what,
                reason,
                capped.toMillis(),
                attempt + 1,
                settings.attempts());
        try {
            sleeper.sleep(capped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": interrupted while waiting to retry", e);
        }
    }

    /** A streamed GET (for file bodies); the caller closes the body. */
    HttpResponse<InputStream> stream(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return RetryAfter.of(headers);
    }

    /** {@code " (X-Error-Code): message"} from the Hub's error headers and JSON body, for errors. */
    static String describe(HttpHeaders headers, byte[] body) {
        StringBuilder out = new StringBuilder();
        headers.firstValue("X-Error-Code")
                .ifPresent(code -> out.append(" (").append(code).append(")"));
        String message = headers.firstValue("X-Error-Message").orElse(null);
        if (message == null && body != null && body.length > 0 && body.length < 65_536) {
            try {
                JsonNode node = MAPPER.readTree(body);
                if (node != null && node.path("error").isTextual()) {
                    message = node.get("error").textValue();
                }
            } catch (IOException e) {
                // not JSON
            }
        }
        if (message != null) {
            String oneLine = message.replaceAll("[\\r\\n\\t]+", " ");
            out.append(": ").append(oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
        }
        return out.toString();
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    /** The error of a refused Hub request: not found/unauthorized as MODEL_NOT_FOUND, the rest as STORE_UNAVAILABLE. */
    static Pretrain4jException failure(String what, int status, HttpHeaders headers, byte[] body) {
        String detail = "HTTP " + status + HubHttp.describe(headers, body);
        if (status == 404 || status == 401 || status == 403) {
            return new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_NOT_FOUND,
                    what + ": " + detail + (status == 404 ? "" : " (private, gated, or the token lacks access)"));
        }
        return new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": " + detail);
    }
}
