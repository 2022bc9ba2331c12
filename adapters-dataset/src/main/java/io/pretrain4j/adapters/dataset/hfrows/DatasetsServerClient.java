package io.pretrain4j.adapters.dataset.hfrows;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.adapters.dataset.json.JsonLines;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.ConfigPageSampler;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.toolkit.http.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The Hugging Face datasets-server ({@code /rows}, {@code /size}) over {@link HttpClient}, with a
 * deadline per request that covers the body, a cap on the body size, and retries of the same request
 * with exponential backoff: 408, 429 (after {@code Retry-After} when given), 5xx, timeouts, broken
 * connections and unparseable bodies are retried; other 4xx fail at once with the server's
 * {@code {"error": ...}} message. The token is sent as {@code Authorization: Bearer} and never
 * appears in a log line or an error.
 */
final class DatasetsServerClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DatasetsServerClient.class.getName());

    /**
     * @param endpoint e.g. {@code https://datasets-server.huggingface.co}
     * @param token sent as a Bearer token when present
     * @param timeout deadline of one request, body included
     * @param attempts tries per request, the first included
     * @param retryDelay the first backoff, doubled per retry up to {@code maxDelay}
     * @param maxDelay the longest wait between tries, {@code Retry-After} included
     * @param maxBodyBytes larger bodies are refused
     */
    record ServerConfig(
            URI endpoint,
            Optional<String> token,
            Duration timeout,
            int attempts,
            Duration retryDelay,
            Duration maxDelay,
            long maxBodyBytes) {
        ServerConfig {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "ServerConfig[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "<set>" : "<none>")
                    + ", timeout=" + timeout + ", attempts=" + attempts + "]";
        }
    }

    /** Sleeps between retries; tests replace it to observe waits. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ServerConfig settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final Sleeper sleeper;

    DatasetsServerClient(ServerConfig settings, Sleeper sleeper) {
        this.settings = requireNonNull(settings, "settings is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(executor)
                .build();
    }

    /** The rows of a page: {@code length} rows from {@code offset} (at most 100, the server's limit). */
    List<JsonNode> rows(String dataset, String config, String split, long offset, int length) {
        if (length < 1 || length > 100) {
            throw new Pretrain4jException(
                    DatasetErrorCode.DATASET_INVALID, "length " + length + " outside the datasets-server's [1, 100]");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dataset", dataset);
        query.put("config", config);
        query.put("split", split);
        query.put("offset", Long.toString(offset));
        query.put("length", Integer.toString(length));
        String what = "rows of " + dataset + " " + config + "/" + split + " offset " + offset;
        JsonNode body = getJson("/rows", query, what);
        JsonNode rows = body.get("rows");
        if (rows == null || !rows.isArray()) {
            throw invalid(what + ": the response has no 'rows' array (fields: " + JsonLines.names(body) + ")");
        }
        List<JsonNode> result = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            JsonNode values = row.get("row");
            if (values == null || !values.isObject()) {
                throw invalid(what + ": a row has no 'row' object (fields: "
                        + (row.isObject() ? JsonLines.names(row) : row.getNodeType()) + ")");
            }
            result.add(values);
        }
        if (result.size() > length) {
            throw invalid(what + ": the server returned " + result.size() + " rows for length " + length);
        }
        return result;
    }

    /** The splits {@code /size} lists, in response order. */
    List<ConfigPageSampler.Split> splits(String dataset) {
        String what = "sizes of " + dataset;
        JsonNode body = getJson("/size", Map.of("dataset", dataset), what);
        JsonNode splits = body.path("size").path("splits");
        if (!splits.isArray()) {
            throw invalid(what + ": the response has no 'size.splits' array");
        }
        List<ConfigPageSampler.Split> result = new ArrayList<>();
        for (JsonNode split : splits) {
            JsonNode config = split.get("config");
            JsonNode name = split.get("split");
            JsonNode rows = split.get("num_rows");
            if (config == null
                    || !config.isTextual()
                    || name == null
                    || !name.isTextual()
                    || rows == null
                    || !rows.canConvertToLong()
                    || rows.asLong() < 0) {
                throw invalid(
                        what + ": a split lacks a string 'config', a string 'split' or a non-negative 'num_rows': "
                                + abbreviate(split.toString()));
            }
            result.add(new ConfigPageSampler.Split(config.textValue(), name.textValue(), rows.asLong()));
        }
        return result;
    }

    private JsonNode getJson(String path, Map<String, String> query, String what) {
        URI uri = URI.create(settings.endpoint().toString().replaceAll("/+$", "") + path + "?"
                + query.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&")));
        String lastProblem = "no attempt made";
        Duration backoff = settings.retryDelay();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            Duration wait = backoff;
            try {
                Response response = send(uri);
                if (response.status() == 200) {
                    try {
                        JsonNode node = JsonLines.MAPPER.readTree(response.body());
                        if (node != null && node.isObject()) {
                            return node;
                        }
                        lastProblem = "the body is not a JSON object";
                    } catch (JacksonException e) {
                        lastProblem = "the body is not valid JSON (" + e.getOriginalMessage() + ")";
                    }
                } else if (response.status() == 429 || response.status() == 408 || response.status() >= 500) {
                    lastProblem = "HTTP " + response.status() + errorMessage(response);
                    Optional<Duration> retryAfter = response.retryAfter();
                    if (retryAfter.isPresent()) {
                        wait = retryAfter.get();
                    }
                } else {
                    throw new Pretrain4jException(
                            response.status() == 404
                                    ? DatasetErrorCode.DATASET_INVALID
                                    : DatasetErrorCode.DATASET_UNAVAILABLE,
                            what + ": HTTP " + response.status() + errorMessage(response) + " from " + uri
                                    + " (not retried)");
                }
            } catch (TimeoutException e) {
                lastProblem =
                        "no complete response within " + settings.timeout().toMillis() + " ms";
            } catch (IOException e) {
                lastProblem = "connection failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt == settings.attempts()) {
                break;
            }
            if (wait.compareTo(settings.maxDelay()) > 0) {
                wait = settings.maxDelay();
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0}: {1}; retrying the same request in {2} ms (attempt {3} of {4})",
                    what,
                    lastProblem,
                    wait.toMillis(),
                    attempt + 1,
                    settings.attempts());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_UNAVAILABLE, what + ": interrupted while waiting to retry", e);
            }
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(settings.maxDelay()) > 0) {
                backoff = settings.maxDelay();
            }
        }
        String message = what + ": giving up after " + settings.attempts() + " attempts; last: " + lastProblem + " ("
                + uri + ")";
        LOG.log(System.Logger.Level.ERROR, message);
        throw new Pretrain4jException(DatasetErrorCode.DATASET_UNAVAILABLE, message);
    }

    private record Response(int status, byte[] body, Optional<Duration> retryAfter) {}

    private Response send(URI uri) throws IOException, TimeoutException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("User-Agent", "pretrain4j");
        settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        CompletableFuture<Response> future = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    try (InputStream in = response.body()) {
                        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
                        if (body.length > settings.maxBodyBytes()) {
                            throw new BodyTooLarge();
                        }
                        return new Response(response.statusCode(), body, retryAfter(response));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        try {
            return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Pretrain4jException(DatasetErrorCode.DATASET_UNAVAILABLE, "interrupted while reading " + uri, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new TimeoutException("request timed out");
            }
            if (cause instanceof BodyTooLarge) {
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_INVALID,
                        uri + ": response body larger than " + settings.maxBodyBytes() + " bytes");
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("body too large", null, false, false);
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.of(response.headers()); // an HTTP date: empty, and our own backoff applies
    }

    private static String errorMessage(Response response) {
        try {
            JsonNode node = JsonLines.MAPPER.readTree(response.body());
            if (node != null && node.path("error").isTextual()) {
                return ": " + abbreviate(node.get("error").textValue());
            }
        } catch (IOException e) {
            // not JSON: say nothing more
        }
        return "";
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(DatasetErrorCode.DATASET_INVALID, message);
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
