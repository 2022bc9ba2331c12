package io.pretrain4j.testing.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weights &amp; Biases on 127.0.0.1 (spec/INTERFACES.md C): {@code POST /graphql} answering the
 * {@code Runs} (Mongo-style filter string: field equality, {@code $regex}, {@code $eq}, {@code $ne},
 * {@code $in}, {@code $exists}, {@code $and}, {@code $or}; order {@code -created_at}; cursor
 * paging), {@code Run}, {@code RunFiles}, {@code UpsertBucket} and {@code CreateRunFiles}
 * operations; run files served at {@code /files/<entity>/<project>/<run>/<name>} (with
 * {@code Range}); presigned upload URLs taking a {@code PUT}; and the run history endpoint
 * {@code POST /files/<entity>/<project>/<run>/file_stream}. Timestamps are written as W&amp;B writes
 * them: naive ISO-8601 in UTC. With {@link #requireApiKey} every request but the presigned upload
 * needs HTTP Basic {@code api:<key>}.
 *
 * <p>Faults: {@link #outage} answers 500 to everything for a while; {@link #enqueue} plays one fault
 * on the next requests (a 429 with {@code Retry-After}, a 5xx, a slow answer, malformed JSON);
 * {@link #redirectFiles} sends file downloads to signed storage on another origin; {@link #enqueueTransfer} on the next
 * file bodies (cut mid-file); {@link #removeFileBytes} leaves a listed file whose URL answers 404;
 * {@link #putFile} changes a file after it was uploaded.
 */
public final class FakeWandb implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern OPERATION = Pattern.compile("\\b(query|mutation)\\s+(\\w+)");
    private static final Pattern FILE = Pattern.compile("/files/([^/]+)/([^/]+)/([^/]+)/([^/]+)");
    private static final Pattern UPLOAD = Pattern.compile("/upload/([0-9a-f-]+)");
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    /** A fault played instead of, or on top of, a normal answer. */
    public sealed interface Fault {
        /** A 5xx status. */
        record ServerError(int status) implements Fault {}

        /** This status with a body quoting the request's headers, {@code Authorization} included (as misconfigured proxies answer). */
        record EchoHeaders(int status) implements Fault {}

        /** 429 with {@code Retry-After}. */
        record TooManyRequests(long retryAfterSeconds) implements Fault {}

        /** The normal answer, after {@code delay}. */
        record Slow(Duration delay) implements Fault {}

        /** A 200 whose body is not JSON. */
        record MalformedJson() implements Fault {}

        /** A file body announced in full but cut after {@code bytes} bytes (for {@link #enqueueTransfer}). */
        record CutAfter(long bytes) implements Fault {}
    }

    /**
     * A recorded request.
     *
     * @param method the HTTP method
     * @param path the path
     * @param operation the GraphQL operation's name, or empty
     * @param authorization the Authorization header
     * @param status the status answered
     */
    public record Request(
            String method, String path, Optional<String> operation, Optional<String> authorization, int status) {}

    /** A file of a run as stored. */
    private record StoredFile(String name, Path bytes, long size, String md5, Instant updatedAt, boolean missing) {}

    private static final class Run {
        final String entity;
        final String project;
        final String name;
        final String storageId = UUID.randomUUID().toString();
        final long order;
        volatile String displayName;
        final ObjectNode config = MAPPER.createObjectNode();
        final Instant createdAt;
        volatile Instant heartbeatAt;
        volatile String state = "running";
        volatile Integer exitcode;
        final Map<String, StoredFile> files = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> history = Collections.synchronizedList(new ArrayList<>());
        volatile String summary = "{}";

        Run(String entity, String project, String name, long order, Instant now) {
            this.entity = entity;
            this.project = project;
            this.name = name;
            this.order = order;
            this.createdAt = now;
            this.heartbeatAt = now;
            this.displayName = name;
        }
    }

    /**
     * A run as tests see it.
     *
     * @param name the run id
     * @param displayName its display name
     * @param config the config with the {@code value} wrappers removed
     * @param state running, finished
     * @param files file names
     * @param history the history lines, parsed
     */
    public record RunView(
            String name,
            String displayName,
            JsonNode config,
            String state,
            List<String> files,
            List<JsonNode> history) {}

    private final Path dir;
    private final HttpServer server;
    /** Signed storage on another origin: where file URLs redirect when {@link #redirectFiles} is on. */
    private final HttpServer storage;

    private volatile boolean redirectFiles;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, String[]> uploads = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Fault> anyFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> transferFaults = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong order = new AtomicLong();
    private volatile long outageUntil;
    private volatile String apiKey;

    private FakeWandb(Path dir) throws IOException {
        this.dir = requireNonNull(dir, "dir is null");
        Files.createDirectories(dir);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage.setExecutor(executor);
        storage.createContext("/", this::handleStorage);
        storage.start();
    }

    /**
     * File URLs answer with a 302 to signed storage on another origin (another port), as W&amp;B's
     * do; storage needs no key, and a client must not send it there.
     */
    public void redirectFiles(boolean redirect) {
        this.redirectFiles = redirect;
    }

    private void handleStorage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher file =
                    Pattern.compile("/objects/([^/]+)/([^/]+)/([^/]+)/([^/]+)").matcher(path);
            int status = file.matches() && exchange.getRequestMethod().equals("GET")
                    ? serveFile(exchange, file.group(1), file.group(2), file.group(3), file.group(4))
                    : text(exchange, 404, "<Error><Code>NoSuchKey</Code></Error>");
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    "storage:" + path,
                    Optional.empty(),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    status));
        } catch (RuntimeException e) {
            // a broken client connection
        }
    }

    /** Starts a W&amp;B keeping uploaded files under {@code dir}. */
    public static FakeWandb start(Path dir) {
        try {
            return new FakeWandb(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requires HTTP Basic {@code api:<key>} ({@code null}: open). */
    public void requireApiKey(String key) {
        this.apiKey = key;
    }

    /** Answers 500 to every request for {@code duration} from now. */
    public void outage(Duration duration) {
        outageUntil = System.nanoTime() + duration.toNanos();
    }

    /** Whether an outage is on. */
    public boolean inOutage() {
        return System.nanoTime() < outageUntil;
    }

    /** Plays {@code fault} on the next {@code times} requests. */
    public void enqueue(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            anyFaults.add(requireNonNull(fault, "fault is null"));
        }
    }

    /** Plays {@code fault} on the next {@code times} file bodies (a cut: on bodies longer than the cut). */
    public void enqueueTransfer(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            transferFaults.add(requireNonNull(fault, "fault is null"));
        }
    }

    /** Every request so far. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The runs of a project, newest first. */
    public List<RunView> runs(String entity, String project) {
        return runs.values().stream()
                .filter(r -> r.entity.equals(entity) && r.project.equals(project))
                .sorted(Comparator.comparingLong((Run r) -> r.order).reversed())
                .map(FakeWandb::view)
                .toList();
    }

    /** A run, if it exists. */
    public Optional<RunView> run(String entity, String project, String name) {
        return Optional.ofNullable(runs.get(key(entity, project, name))).map(FakeWandb::view);
    }

    /** Deletes a run, as its owner would in the W&amp;B UI. */
    public void deleteRun(String entity, String project, String name) {
        runs.remove(key(entity, project, name));
    }

    /** Keeps a file listed (name, size, MD5) while its URL answers 404. */
    public void removeFileBytes(String entity, String project, String run, String name) {
        Run target = requireNonNull(runs.get(key(entity, project, run)), "no such run");
        target.files.computeIfPresent(
                name, (k, f) -> new StoredFile(f.name(), f.bytes(), f.size(), f.md5(), f.updatedAt(), true));
    }

    /** Creates a run as another client would, with plain config values. */
    public void putRun(String entity, String project, String name, Map<String, Object> config) {
        Run run = runs.computeIfAbsent(
                key(entity, project, name), k -> new Run(entity, project, name, order.incrementAndGet(), now()));
        config.forEach((k, v) -> run.config.putObject(k).set("value", MAPPER.valueToTree(v)));
    }

    /** Adds or replaces a file of a run as another client (or a later upload to the run) would. */
    public void putFile(String entity, String project, String run, String name, byte[] bytes) {
        Run target = requireNonNull(runs.get(key(entity, project, run)), "no such run");
        target.files.put(name, store(name, bytes));
    }

    private static RunView view(Run run) {
        ObjectNode config = MAPPER.createObjectNode();
        run.config.properties().forEach(e -> config.set(e.getKey(), e.getValue().path("value")));
        List<JsonNode> history = new ArrayList<>();
        synchronized (run.history) {
            for (String line : run.history) {
                try {
                    history.add(line == null ? MAPPER.nullNode() : MAPPER.readTree(line));
                } catch (IOException e) {
                    history.add(MAPPER.getNodeFactory().textNode(line));
                }
            }
        }
        List<String> files;
        synchronized (run.files) {
            files = List.copyOf(run.files.keySet());
        }
        return new RunView(run.name, run.displayName, config, run.state, files, history);
    }

    private static String key(String entity, String project, String name) {
        return entity + "/" + project + "/" + name;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String naive(Instant instant) {
        return NAIVE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Optional<String> operation = Optional.empty();
            if (path.equals("/graphql")) {
                try {
                    Matcher m = OPERATION.matcher(
                            MAPPER.readTree(body).path("query").asText(""));
                    operation = m.find() ? Optional.of(m.group(2)) : Optional.empty();
                } catch (IOException e) {
                    operation = Optional.empty();
                }
            }
            int status = answer(exchange, method, path, operation, body);
            requests.add(new Request(
                    method,
                    path,
                    operation,
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    status));
        } catch (RuntimeException e) {
            // a request the fake cannot read (a bad cursor, JSON that is not an object): a 400 if the
            // answer has not begun
            try {
                text(
                        exchange,
                        400,
                        "{\"errors\":[{\"message\":\"bad request: "
                                + e.getClass().getSimpleName() + "\"}]}");
            } catch (IOException | RuntimeException ignored) {
                // the connection is gone
            }
        }
    }

    private int answer(HttpExchange exchange, String method, String path, Optional<String> operation, byte[] body)
            throws IOException {
        if (inOutage()) {
            return text(exchange, 500, "{\"errors\":[{\"message\":\"internal server error (outage)\"}]}");
        }
        Fault fault = anyFaults.poll();
        if (fault instanceof Fault.TooManyRequests tooMany) {
            exchange.getResponseHeaders().add("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
            return text(exchange, 429, "{\"errors\":[{\"message\":\"rate limit exceeded\"}]}");
        }
        if (fault instanceof Fault.ServerError error) {
            return text(exchange, error.status(), "{\"errors\":[{\"message\":\"server error\"}]}");
        }
        if (fault instanceof Fault.EchoHeaders echo) {
            return text(
                    exchange,
                    echo.status(),
                    "upstream refused " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                            + " with headers "
                            + exchange.getRequestHeaders().entrySet().stream()
                                    .map(h -> h.getKey() + ": " + String.join(",", h.getValue()))
                                    .sorted()
                                    .toList());
        }
        if (fault instanceof Fault.Slow slow) {
            try {
                Thread.sleep(slow.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        if (fault instanceof Fault.MalformedJson) {
            return text(exchange, 200, "{\"data\": {\"project\": <html>Bad gateway</html>");
        }
        Matcher upload = UPLOAD.matcher(path);
        if (method.equals("PUT") && upload.matches()) {
            return upload(exchange, upload.group(1), body);
        }
        if (apiKey != null) {
            String expected =
                    "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                return text(exchange, 401, "{\"errors\":[{\"message\":\"user is not logged in\"}]}");
            }
        }
        if (method.equals("POST") && path.equals("/graphql")) {
            return graphql(exchange, operation.orElse(""), MAPPER.readTree(body));
        }
        Matcher file = FILE.matcher(path);
        if (file.matches()) {
            if (method.equals("POST") && file.group(4).equals("file_stream")) {
                return fileStream(exchange, file.group(1), file.group(2), file.group(3), MAPPER.readTree(body));
            }
            if (method.equals("GET")) {
                return download(exchange, file.group(1), file.group(2), file.group(3), file.group(4));
            }
        }
        return text(exchange, 404, "{\"error\":\"no route for " + method + " " + path + "\"}");
    }

    private int graphql(HttpExchange exchange, String operation, JsonNode request) throws IOException {
        JsonNode variables = request.path("variables");
        ObjectNode answer = MAPPER.createObjectNode();
        ObjectNode data = answer.putObject("data");
        switch (operation) {
            case "Runs" -> runsQuery(data, variables);
            case "Run" -> {
                Run run = runs.get(key(
                        variables.path("entity").asText(),
                        variables.path("project").asText(),
                        variables.path("name").asText()));
                ObjectNode project = data.putObject("project");
                if (run == null) {
                    project.putNull("run");
                } else {
                    project.set("run", node(run));
                }
            }
            case "RunFiles" -> runFiles(exchange, data, variables);
            case "UpsertBucket" -> upsertBucket(data, variables);
            case "CreateRunFiles" -> createRunFiles(exchange, data, variables);
            default -> {
                return text(exchange, 400, "{\"errors\":[{\"message\":\"unknown operation '" + operation + "'\"}]}");
            }
        }
        return json(exchange, 200, answer);
    }

    private void runsQuery(ObjectNode data, JsonNode variables) throws IOException {
        String entity = variables.path("entity").asText();
        String projectName = variables.path("project").asText();
        List<Run> all = runs.values().stream()
                .filter(r -> r.entity.equals(entity) && r.project.equals(projectName))
                .toList();
        if (all.isEmpty()) {
            data.putNull("project");
            return;
        }
        JsonNode filters = variables.path("filters").isTextual()
                ? MAPPER.readTree(variables.path("filters").asText())
                : MAPPER.createObjectNode();
        List<Run> matching = all.stream()
                .filter(run -> matches(run, filters))
                .sorted(Comparator.comparingLong((Run r) -> r.order).reversed())
                .toList();
        int perPage = variables.path("perPage").asInt(50);
        int start = variables.path("cursor").isTextual()
                ? Integer.parseInt(variables.path("cursor").asText().substring(4))
                : 0;
        ObjectNode project = data.putObject("project");
        project.put("runCount", matching.size());
        project.put("readOnly", false);
        ObjectNode page = project.putObject("runs");
        ArrayNode edges = page.putArray("edges");
        int end = Math.min(matching.size(), start + perPage);
        for (int i = start; i < end; i++) {
            ObjectNode edge = edges.addObject();
            edge.set("node", node(matching.get(i)));
            edge.put("cursor", "idx:" + (i + 1));
        }
        ObjectNode info = page.putObject("pageInfo");
        info.put("endCursor", "idx:" + end);
        info.put("hasNextPage", end < matching.size());
    }

    private static ObjectNode node(Run run) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", run.storageId);
        node.put("name", run.name);
        node.put("displayName", run.displayName);
        node.put("state", run.state);
        node.put("config", run.config.toString());
        node.put("createdAt", naive(run.createdAt));
        node.put("heartbeatAt", naive(run.heartbeatAt));
        node.putNull("description");
        node.putArray("tags");
        return node;
    }

    /** Mongo-style matching of a run against a filter document. */
    private static boolean matches(Run run, JsonNode filter) {
        if (!filter.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode condition = entry.getValue();
            boolean ok = switch (key) {
                case "$and" -> all(condition, c -> matches(run, c));
                case "$or" -> any(condition, c -> matches(run, c));
                default -> condition(field(run, key), condition);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(JsonNode list, Predicate<JsonNode> test) {
        for (JsonNode item : list) {
            if (!test.test(item)) {
                return false;
            }
        }
        return list.isArray();
    }

    private static boolean any(JsonNode list, Predicate<JsonNode> test) {
        for (JsonNode item : list) {
            if (test.test(item)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode field(Run run, String path) {
        if (path.startsWith("config.")) {
            JsonNode wrapped = run.config.get(path.substring("config.".length()));
            return wrapped == null ? null : wrapped.path("value");
        }
        return switch (path) {
            case "name" -> MAPPER.getNodeFactory().textNode(run.name);
            case "displayName", "display_name" -> MAPPER.getNodeFactory().textNode(run.displayName);
            case "state" -> MAPPER.getNodeFactory().textNode(run.state);
            default -> null;
        };
    }

    private static boolean condition(JsonNode value, JsonNode condition) {
        if (condition.isObject()
                && condition.size() > 0
                && condition.fieldNames().next().startsWith("$")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = condition.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                boolean ok = switch (op.getKey()) {
                    case "$regex" ->
                        value != null
                                && value.isTextual()
                                && Pattern.compile(op.getValue().asText())
                                        .matcher(value.asText())
                                        .find();
                    case "$eq" -> same(value, op.getValue());
                    case "$ne" -> !same(value, op.getValue());
                    case "$in" -> any(op.getValue(), v -> same(value, v));
                    case "$exists" ->
                        (value != null && !value.isMissingNode())
                                == op.getValue().asBoolean();
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
        return same(value, condition);
    }

    private static boolean same(JsonNode value, JsonNode expected) {
        if (value == null || value.isMissingNode()) {
            return expected.isNull();
        }
        if (value.isNumber() && expected.isNumber()) {
            return value.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        return value.equals(expected);
    }

    private void runFiles(HttpExchange exchange, ObjectNode data, JsonNode variables) {
        String entity = variables.path("entity").asText();
        String projectName = variables.path("project").asText();
        Run run = runs.get(key(entity, projectName, variables.path("name").asText()));
        ObjectNode project = data.putObject("project");
        if (run == null) {
            project.putNull("run");
            return;
        }
        List<StoredFile> files;
        synchronized (run.files) {
            files = List.copyOf(run.files.values());
        }
        int limit = variables.path("fileLimit").asInt(50);
        int start = variables.path("fileCursor").isTextual()
                ? Integer.parseInt(variables.path("fileCursor").asText().substring(4))
                : 0;
        ObjectNode node = project.putObject("run");
        node.put("fileCount", files.size());
        ObjectNode page = node.putObject("files");
        ArrayNode edges = page.putArray("edges");
        int end = Math.min(files.size(), start + limit);
        for (int i = start; i < end; i++) {
            StoredFile file = files.get(i);
            ObjectNode edge = edges.addObject();
            ObjectNode f = edge.putObject("node");
            f.put(
                    "id",
                    UUID.nameUUIDFromBytes((run.storageId + file.name()).getBytes(StandardCharsets.UTF_8))
                            .toString());
            f.put("name", file.name());
            String url = endpoint() + "/files/" + entity + "/" + projectName + "/" + run.name + "/" + file.name();
            f.put("url", url);
            f.put("directUrl", url);
            f.put("sizeBytes", file.size());
            f.put("mimetype", "application/octet-stream");
            f.put("updatedAt", naive(file.updatedAt()));
            f.put("md5", file.md5());
            edge.put("cursor", "idx:" + (i + 1));
        }
        ObjectNode info = page.putObject("pageInfo");
        info.put("endCursor", "idx:" + end);
        info.put("hasNextPage", end < files.size());
    }

    private void upsertBucket(ObjectNode data, JsonNode variables) throws IOException {
        String entity = variables.path("entity").asText();
        String projectName = variables.path("project").asText();
        String name = variables.path("name").asText();
        boolean[] inserted = {false};
        Run run = runs.computeIfAbsent(key(entity, projectName, name), k -> {
            inserted[0] = true;
            return new Run(entity, projectName, name, order.incrementAndGet(), now());
        });
        if (variables.path("displayName").isTextual()) {
            run.displayName = variables.path("displayName").asText();
        }
        if (variables.path("config").isTextual()) {
            JsonNode config = MAPPER.readTree(variables.path("config").asText());
            config.properties().forEach(e -> run.config.set(e.getKey(), e.getValue()));
        }
        run.heartbeatAt = now();
        run.state = "running";
        ObjectNode result = data.putObject("upsertBucket");
        ObjectNode bucket = result.putObject("bucket");
        bucket.put("id", run.storageId);
        bucket.put("name", run.name);
        bucket.put("displayName", run.displayName);
        bucket.put("config", run.config.toString());
        ObjectNode project = bucket.putObject("project");
        project.put("id", entity + "/" + projectName);
        project.put("name", projectName);
        project.putObject("entity").put("id", entity).put("name", entity);
        bucket.put("historyLineCount", run.history.size());
        result.put("inserted", inserted[0]);
    }

    private void createRunFiles(HttpExchange exchange, ObjectNode data, JsonNode variables) {
        String entity = variables.path("entity").asText();
        String projectName = variables.path("project").asText();
        String name = variables.path("run").asText();
        Run run = runs.get(key(entity, projectName, name));
        if (run == null) {
            data.putNull("createRunFiles");
            return;
        }
        ObjectNode result = data.putObject("createRunFiles");
        result.put("runID", run.storageId);
        result.putArray("uploadHeaders")
                .add("Content-Type:application/octet-stream")
                .add("X-Fake-Upload:1");
        ArrayNode files = result.putArray("files");
        for (JsonNode file : variables.path("files")) {
            String token = UUID.randomUUID().toString();
            uploads.put(token, new String[] {key(entity, projectName, name), file.asText()});
            files.addObject().put("name", file.asText()).put("uploadUrl", endpoint() + "/upload/" + token);
        }
    }

    private int upload(HttpExchange exchange, String token, byte[] body) throws IOException {
        String[] target = uploads.remove(token);
        if (target == null) {
            return text(
                    exchange,
                    403,
                    "<Error><Code>AccessDenied</Code><Message>unknown or used upload URL</Message></Error>");
        }
        if (!"1".equals(exchange.getRequestHeaders().getFirst("X-Fake-Upload"))) {
            return text(
                    exchange,
                    400,
                    "<Error><Code>MissingHeader</Code><Message>the upload headers were not sent</Message></Error>");
        }
        Run run = runs.get(target[0]);
        run.files.put(target[1], store(target[1], body));
        run.heartbeatAt = now();
        return text(exchange, 200, "");
    }

    private StoredFile store(String name, byte[] bytes) {
        try {
            Path file = dir.resolve(UUID.randomUUID().toString());
            Files.write(file, bytes);
            String md5 = Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
            return new StoredFile(name, file, bytes.length, md5, now(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private int download(HttpExchange exchange, String entity, String project, String runName, String name)
            throws IOException {
        if (redirectFiles) {
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            "http://127.0.0.1:" + storage.getAddress().getPort() + "/objects/" + entity + "/" + project
                                    + "/" + runName + "/" + name);
            exchange.sendResponseHeaders(302, -1);
            return 302;
        }
        return serveFile(exchange, entity, project, runName, name);
    }

    private int serveFile(HttpExchange exchange, String entity, String project, String runName, String name)
            throws IOException {
        Run run = runs.get(key(entity, project, runName));
        StoredFile file = run == null ? null : run.files.get(name);
        if (file == null || file.missing()) {
            return text(exchange, 404, "{\"error\":\"file not found\"}");
        }
        long start = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.matches("bytes=\\d+-")) {
            start = Long.parseLong(range.substring(6, range.length() - 1));
            if (start >= file.size()) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + file.size());
                exchange.sendResponseHeaders(416, -1);
                return 416;
            }
        }
        long length = file.size() - start;
        int status = start > 0 ? 206 : 200;
        if (start > 0) {
            exchange.getResponseHeaders()
                    .add("Content-Range", "bytes " + start + "-" + (file.size() - 1) + "/" + file.size());
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        // a cut applies to the next body longer than the cut
        Fault fault = transferFaults.peek() instanceof Fault.CutAfter next && next.bytes() < length
                ? transferFaults.poll()
                : null;
        long limit = fault instanceof Fault.CutAfter cut ? cut.bytes() : length;
        try (InputStream in = Files.newInputStream(file.bytes());
                OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(start);
            byte[] buffer = new byte[1 << 16];
            long sent = 0;
            while (sent < limit) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                sent += read;
            }
            if (limit < length) {
                out.flush();
                throw new IOException("cut");
            }
        } catch (IOException e) {
            // the cut: the connection closes with the body short
        }
        return status;
    }

    private int fileStream(HttpExchange exchange, String entity, String project, String runName, JsonNode body)
            throws IOException {
        Run run = runs.get(key(entity, project, runName));
        if (run == null) {
            return text(exchange, 404, "{\"error\":\"run " + runName + " not found\"}");
        }
        JsonNode history = body.path("files").path("wandb-history.jsonl");
        if (history.isObject()) {
            int offset = history.path("offset").asInt(-1);
            synchronized (run.history) {
                if (offset < 0 || offset > run.history.size()) {
                    return text(
                            exchange,
                            400,
                            "{\"error\":\"history offset " + offset + " is beyond the " + run.history.size()
                                    + " lines\"}");
                }
                int index = offset;
                for (JsonNode line : history.path("content")) {
                    if (index < run.history.size()) {
                        run.history.set(index, line.asText());
                    } else {
                        run.history.add(line.asText());
                    }
                    index++;
                }
            }
        }
        JsonNode summary = body.path("files").path("wandb-summary.json").path("content");
        if (summary.isArray() && !summary.isEmpty()) {
            run.summary = summary.get(summary.size() - 1).asText();
        }
        if (body.path("complete").asBoolean(false)) {
            run.state = "finished";
            run.exitcode = body.path("exitcode").asInt();
        }
        run.heartbeatAt = now();
        return json(
                exchange, 200, MAPPER.createObjectNode().putNull("exitcode").set("limits", MAPPER.createObjectNode()));
    }

    private static int json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        return send(exchange, status, MAPPER.writeValueAsBytes(body));
    }

    private static int text(HttpExchange exchange, int status, String body) throws IOException {
        return send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
        executor.shutdownNow();
    }
}
