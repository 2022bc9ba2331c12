package io.pretrain4j.adapters.wandb;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSession;

/**
 * HTTP to W&amp;B: GraphQL at {@code <base>/graphql} and the file endpoints, with HTTP Basic
 * {@code api:<key>} sent to the API's own origin only (file URLs may be signed URLs of a storage
 * host), retries of broken connections, 408, 429, 5xx and unreadable answers with exponential
 * backoff, and errors that name the operation. The key never appears in a message or a log.
 */
final class WandbHttp implements AutoCloseable {
    /** Service answers, read with the toolkit's bounds ({@link BoundedJson}). */
    static final ObjectMapper MAPPER = BoundedJson.mapper();

    private static final System.Logger LOG = System.getLogger(WandbHttp.class.getName());
    static final String USER_AGENT = "W&B Public Client pretrain4j";

    /** A request failed in a way a retry may cure. */
    static final class RetryableException extends Exception {
        private final Optional<Duration> retryAfter;

        RetryableException(String message) {
            this(message, Optional.empty());
        }

        RetryableException(String message, Optional<Duration> retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }

        /** The server's {@code Retry-After}, when it sent one. */
        Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    final HttpConfig settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    WandbHttp(HttpConfig settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** A request builder, with Basic auth when {@code uri} is on the API's origin. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("User-Agent", USER_AGENT);
        if (settings.secret().isPresent() && sameOrigin(uri)) {
            String basic = Base64.getEncoder()
                    .encodeToString(("api:" + settings.secret().get()).getBytes(StandardCharsets.UTF_8));
            builder.header("Authorization", "Basic " + basic);
        }
        return builder;
    }

    private boolean sameOrigin(URI uri) {
        URI base = settings.endpoint();
        return uri.getHost() != null
                && uri.getHost().equalsIgnoreCase(base.getHost())
                && port(uri) == port(base)
                && uri.getScheme().equalsIgnoreCase(base.getScheme());
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    URI resolve(String path) {
        return URI.create(settings.endpoint().toString().replaceAll("/+$", "") + path);
    }

    /**
     * Runs a GraphQL operation and returns its {@code data}; retries what a retry may cure.
     *
     * @param what the operation, for messages (e.g. {@code W&B Runs query for entity/project})
     */
    JsonNode graphql(String what, String query, ObjectNode variables) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("query", query);
        body.set("variables", variables);
        byte[] payload = bytes(body);
        return withRetries(what, () -> {
            HttpResponse<byte[]> response = send(postRequest(resolve("/graphql"), payload));
            checkStatus(what, response);
            JsonNode answer = parse(what, response.body());
            JsonNode errors = answer.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                StringBuilder messages = new StringBuilder();
                errors.forEach(error -> messages.append(messages.isEmpty() ? "" : "; ")
                        .append(oneLine(error.path("message").asText("?"))));
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": W&B answered with errors: " + messages);
            }
            JsonNode data = answer.path("data");
            if (!data.isObject()) {
                throw new RetryableException("the answer has no data object");
            }
            return data;
        });
    }

    /** POSTs JSON (the file_stream endpoint) and returns the answer's JSON, or an empty object. */
    JsonNode postJson(String what, URI uri, JsonNode body) {
        byte[] payload = bytes(body);
        return withRetries(what, () -> {
            HttpResponse<byte[]> response = send(postRequest(uri, payload));
            checkStatus(what, response);
            return response.body().length == 0 ? MAPPER.createObjectNode() : parse(what, response.body());
        });
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest postRequest(URI uri, byte[] payload) {
        return request(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
    }

    /** A streamed request (file bodies); the caller closes the body. */
    HttpResponse<InputStream> stream(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The most an API answer may hold; a larger one is an error, not a reason to fill the heap. */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    /** A request whose (small) answer is read whole, at most {@link #MAX_ANSWER_BYTES}. */
    HttpResponse<byte[]> send(HttpRequest request) throws RetryableException {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw new RetryableException("the answer to " + request.method() + " "
                        + request.uri().getPath() + " is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return new Answer(response, body);
        } catch (IOException e) {
            throw new RetryableException("connection failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, "interrupted", e);
        }
    }

    /** A response with its body read. */
    private record Answer(HttpResponse<InputStream> response, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    /** W&amp;B answered a request with a 4xx other than 408 and 429: retrying the same request will not help. */
    static final class RejectedException extends Pretrain4jException {
        private final int status;

        RejectedException(int status, String message) {
            super(status == 404 ? ModelStoreErrorCode.MODEL_NOT_FOUND : ModelStoreErrorCode.STORE_UNAVAILABLE, message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Throws for statuses other than 2xx: retryable for 408, 429 and 5xx (honouring
     * {@code Retry-After}), {@link RejectedException} for the rest.
     */
    static void checkStatus(String what, HttpResponse<byte[]> response) throws RetryableException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "HTTP " + status + excerpt(response.body());
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableException(detail, retryAfter(response.headers()));
        }
        String hint = status == 401
                ? " (W&B refused the API key: set a valid key, e.g. WANDB_API_KEY)"
                : status == 403 ? " (the API key has no access to this entity or project)" : "";
        throw new RejectedException(status, what + ": " + detail + hint);
    }

    /** {@code Retry-After} in seconds (the form W&amp;B and its proxies send). */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return RetryAfter.of(headers);
    }

    static JsonNode parse(String what, byte[] body) throws RetryableException {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new RetryableException("the answer is not a JSON object" + excerpt(body));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RetryableException(
                    "the answer is not JSON (" + oneLine(String.valueOf(e.getOriginalMessage())) + ")" + excerpt(body));
        } catch (IOException e) {
            throw new RetryableException("the answer cannot be read (" + e + ")");
        }
    }

    /** An action that may fail in a retryable way. */
    interface Attempt<T> {
        T run() throws RetryableException;
    }

    <T> T withRetries(String what, Attempt<T> attempt) {
        Duration backoff = settings.retryDelay();
        for (int tries = 1; ; tries++) {
            try {
                return attempt.run();
            } catch (RetryableException e) {
                if (tries >= settings.attempts()) {
                    throw new Pretrain4jException(
                            ModelStoreErrorCode.STORE_UNAVAILABLE,
                            what + ": W&B failed " + tries + (tries == 1 ? " time" : " times") + "; last: "
                                    + e.getMessage());
                }
                Duration wanted = e.retryAfter().orElse(backoff);
                Duration wait = wanted.compareTo(settings.maxRetryDelay()) <= 0 ? wanted : settings.maxRetryDelay();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: {1}; retrying in {2} ms (attempt {3} of {4})",
                        what,
                        e.getMessage(),
                        wait.toMillis(),
                        tries + 1,
                        settings.attempts());
                sleep(wait);
                backoff = doubled(backoff, settings.maxRetryDelay());
            }
        }
    }

    /** The next wait of an exponential backoff: twice {@code backoff}, at most {@code max}. */
    static Duration doubled(Duration backoff, Duration max) {
        Duration twice = backoff.multipliedBy(2);
        return twice.compareTo(max) <= 0 ? twice : max;
    }

    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }

    /** {@code ": <first 200 characters of the body>"}, for errors. */
    static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = oneLine(new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8))
                .strip();
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\p{Cntrl}]+", " ");
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
