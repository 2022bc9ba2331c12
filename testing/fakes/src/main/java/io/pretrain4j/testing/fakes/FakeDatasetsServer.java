package io.pretrain4j.testing.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face datasets-server on 127.0.0.1, speaking its protocol: {@code GET /rows} with
 * {@code dataset, config, split, offset, length} ({@code length} 1..100, default 100, else 422
 * {@code InvalidParameter}) and {@code GET /size?dataset=}. Rows are virtual: row {@code i} of a
 * config is document {@code (i * 7919 + configIndex) mod n} of a corpus, so a config may claim
 * billions of rows and any offset serves real text.
 *
 * <p>Faults are queued and served in order to the next matching requests ({@link #enqueue}), or set
 * for every request ({@link #always}): 429 with {@code Retry-After}, 500, a slow answer, a
 * truncated JSON body, rows whose text field is renamed. Every request is recorded.
 */
public final class FakeDatasetsServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A fault the server plays instead of (or on top of) a normal answer. */
    public sealed interface Fault {
        /** 429 with {@code Retry-After: seconds}. */
        record TooManyRequests(long retryAfterSeconds) implements Fault {}

        /** A 5xx status with a JSON error body. */
        record ServerError(int status) implements Fault {}

        /** The normal answer, after a delay before the headers. */
        record Slow(Duration delay) implements Fault {}

        /** The normal body cut in half (a proxy dropping the end of the body). */
        record TruncatedJson() implements Fault {}

        /** Rows whose text field is named {@code body} instead. */
        record WrongFieldNames() implements Fault {}
    }

    /**
     * One config of a fake dataset.
     *
     * @param name the config's name ({@code default} is listed by {@code /size} but the FineWeb
     *     loaders skip it)
     * @param split the split's name
     * @param numRows the rows it claims
     */
    public record Config(String name, String split, long numRows) {}

    /**
     * A fake dataset.
     *
     * @param name e.g. {@code HuggingFaceFW/fineweb}
     * @param textField the row field holding the text ({@code text} or {@code content})
     * @param configs its configs, in {@code /size} order
     * @param documents the corpus rows are drawn from
     */
    public record Dataset(String name, String textField, List<Config> configs, List<String> documents) {
        public Dataset {
            configs = List.copyOf(configs);
            documents = List.copyOf(documents);
            if (documents.isEmpty()) {
                throw new IllegalArgumentException("a fake dataset needs documents");
            }
        }
    }

    /**
     * A recorded request.
     *
     * @param path {@code /rows} or {@code /size}
     * @param query its parameters
     * @param authorization the {@code Authorization} header, if any
     */
    public record Request(String path, Map<String, String> query, Optional<String> authorization) {
        /** {@code config/split/offset/length} of a rows request. */
        public String page() {
            return query.get("config") + "/" + query.get("split") + "/" + query.get("offset") + "/"
                    + query.get("length");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Fault> queued = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Fault always;
    private volatile String requiredToken;

    private FakeDatasetsServer(List<Dataset> datasets) throws IOException {
        for (Dataset dataset : datasets) {
            this.datasets.put(dataset.name(), dataset);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on an ephemeral loopback port. */
    public static FakeDatasetsServer start(List<Dataset> datasets) {
        try {
            return new FakeDatasetsServer(datasets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Plays {@code fault} on the next {@code times} requests (after those queued before). */
    public void enqueue(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            queued.add(requireNonNull(fault, "fault is null"));
        }
    }

    /** Plays {@code fault} on every request from now on ({@code null} to stop). */
    public void always(Fault fault) {
        always = fault;
    }

    /** Answers 401 unless {@code Authorization: Bearer <token>} is sent ({@code null}: no check). */
    public void requireToken(String token) {
        requiredToken = token;
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** Forgets the recorded requests and the queued faults. */
    public void reset() {
        requests.clear();
        queued.clear();
        always = null;
        maxInFlight.set(0);
    }

    /** The text of row {@code row} of a config, as {@code /rows} serves it. */
    public static String rowText(Dataset dataset, String config, long row) {
        int configIndex = 0;
        for (int i = 0; i < dataset.configs().size(); i++) {
            if (dataset.configs().get(i).name().equals(config)) {
                configIndex = i;
            }
        }
        return dataset.documents().get((int) Math.floorMod(
                row * 7919L + configIndex, (long) dataset.documents().size()));
    }

    /** Documents of a JSON lines file (gzip allowed), from the field {@code text}, at most {@code limit}. */
    public static List<String> documents(InputStream jsonLines, int limit) {
        try (InputStream raw = jsonLines) {
            byte[] bytes = raw.readAllBytes();
            if (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            }
            List<String> documents = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && documents.size() < limit) {
                    documents.add(MAPPER.readTree(line).get("text").textValue());
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The most requests that were being answered at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            Optional<String> authorization =
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(new Request(path, Map.copyOf(query), authorization));
            Fault fault = queued.poll();
            if (fault == null) {
                fault = always;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "MethodNotAllowed", "only GET");
                return;
            }
            String token = requiredToken;
            if (token != null && !authorization.equals(Optional.of("Bearer " + token))) {
                error(
                        exchange,
                        401,
                        "ExternalUnauthenticatedError",
                        "The dataset does not exist, or is not accessible without authentication.");
                return;
            }
            if (fault instanceof Fault.TooManyRequests tooMany) {
                exchange.getResponseHeaders().add("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
                error(exchange, 429, "TooManyRequests", "Rate limit reached");
                return;
            }
            if (fault instanceof Fault.ServerError serverError) {
                error(exchange, serverError.status(), "UnexpectedError", "Unexpected error.");
                return;
            }
            if (fault instanceof Fault.Slow slow) {
                Thread.sleep(slow.delay().toMillis());
            }
            ObjectNode body = switch (path) {
                case "/rows" -> rows(exchange, query, fault instanceof Fault.WrongFieldNames);
                case "/size" -> size(exchange, query);
                default -> {
                    error(exchange, 404, "RouteNotFound", "Not found.");
                    yield null;
                }
            };
            if (body == null) {
                return;
            }
            byte[] bytes = MAPPER.writeValueAsBytes(body);
            if (fault instanceof Fault.TruncatedJson) {
                bytes = Arrays.copyOf(bytes, bytes.length / 2);
            }
            send(exchange, 200, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (e.g. after its timeout)
        }
    }

    private ObjectNode rows(HttpExchange exchange, Map<String, String> query, boolean wrongFields) throws IOException {
        Dataset dataset = datasets.get(query.get("dataset"));
        if (dataset == null) {
            error(exchange, 404, "DatasetNotFoundError", "The dataset does not exist.");
            return null;
        }
        Optional<Config> config = dataset.configs().stream()
                .filter(c -> c.name().equals(query.get("config")) && c.split().equals(query.get("split")))
                .findFirst();
        if (config.isEmpty()) {
            error(exchange, 404, "ResponseNotFound", "Not found.");
            return null;
        }
        long offset;
        int length;
        try {
            offset = Long.parseLong(query.getOrDefault("offset", "0"));
            length = Integer.parseInt(query.getOrDefault("length", "100"));
        } catch (NumberFormatException e) {
            error(exchange, 422, "InvalidParameter", "Parameters 'offset' and 'length' must be integers");
            return null;
        }
        if (offset < 0) {
            error(exchange, 422, "InvalidParameter", "Parameter 'offset' must be positive");
            return null;
        }
        if (length < 0 || length > 100) {
            error(exchange, 422, "InvalidParameter", "Parameter 'length' must be between 0 and 100");
            return null;
        }
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode features = body.putArray("features");
        ObjectNode feature = features.addObject();
        feature.put("feature_idx", 0);
        feature.put("name", wrongFields ? "body" : dataset.textField());
        feature.putObject("type").put("dtype", "string").put("_type", "Value");
        ArrayNode rows = body.putArray("rows");
        long end = Math.min(config.get().numRows(), offset + length);
        for (long row = offset; row < end; row++) {
            ObjectNode item = rows.addObject();
            item.put("row_idx", row);
            item.putObject("row")
                    .put(
                            wrongFields ? "body" : dataset.textField(),
                            rowText(dataset, config.get().name(), row));
            item.putArray("truncated_cells");
        }
        body.put("num_rows_total", config.get().numRows());
        body.put("num_rows_per_page", 100);
        body.put("partial", false);
        return body;
    }

    private ObjectNode size(HttpExchange exchange, Map<String, String> query) throws IOException {
        Dataset dataset = datasets.get(query.get("dataset"));
        if (dataset == null) {
            error(exchange, 404, "DatasetNotFoundError", "The dataset does not exist.");
            return null;
        }
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode size = body.putObject("size");
        long total = dataset.configs().stream().mapToLong(Config::numRows).sum();
        size.putObject("dataset").put("dataset", dataset.name()).put("num_rows", total);
        ArrayNode configs = size.putArray("configs");
        ArrayNode splits = size.putArray("splits");
        for (Config config : dataset.configs()) {
            configs.addObject()
                    .put("dataset", dataset.name())
                    .put("config", config.name())
                    .put("num_rows", config.numRows());
            splits.addObject()
                    .put("dataset", dataset.name())
                    .put("config", config.name())
                    .put("split", config.split())
                    .put("num_rows", config.numRows())
                    .put("num_bytes_parquet_files", config.numRows() * 1000)
                    .put("num_bytes_memory", config.numRows() * 2000)
                    .put("num_columns", 1);
        }
        body.putArray("pending");
        body.putArray("failed");
        body.put("partial", false);
        return body;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().add("X-Error-Code", code);
        send(
                exchange,
                status,
                MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("error", message)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
