package io.pretrain4j.testing.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Hugging Face Hub on 127.0.0.1 over a directory, following the Hub's HTTP API as
 * huggingface_hub uses it (spec/INTERFACES.md B), so that the official clients' common operations
 * work against it: model info ({@code /api/models/<repo>} and {@code /revision/<rev>}, with
 * {@code ?blobs=True} sizes, {@code _id}/{@code id}/{@code sha}), {@code repo_exists},
 * {@code /tree/<rev>} (recursive), {@code /paths-info/<rev>}, {@code /commits/<rev>},
 * {@code /api/whoami-v2}, {@code resolve/<rev>/<file>} with GET and HEAD (regular files with a git blob
 * ETag and {@code Content-Length}; LFS files as a 302 to the storage origin with
 * {@code X-Linked-Etag}/{@code X-Linked-Size}; {@code X-Repo-Commit}; open and bounded {@code Range}),
 * revision {@code HEAD}, repo creation, preupload (with {@code shouldIgnore}), the LFS batch API with
 * PUT (and multipart) to the storage origin and verify, NDJSON commits (to an existing branch only),
 * visibility, and 404s with {@code X-Error-Code}. Private repos need the token.
 *
 * <p>LFS objects are served and received by a second server on another port (the Hub's CDN and
 * storage are other origins), so a client that sends its token there can be caught:
 * {@link Request#storage()} tells which origin a request reached.
 *
 * <p>Faults: {@link #enqueue} plays one on the next requests of any kind (429, 5xx, 404),
 * {@link #enqueueTransfer} on the next LFS file bodies (cut mid-file, a flipped byte, a slow drip).
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern INFO = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern PREUPLOAD = Pattern.compile("/api/models/([^/]+/[^/]+)/preupload/([^/]+)");
    private static final Pattern COMMIT = Pattern.compile("/api/models/([^/]+/[^/]+)/commit/([^/]+)");
    private static final Pattern SETTINGS = Pattern.compile("/api/models/([^/]+/[^/]+)/settings");
    private static final Pattern INFO_HEAD = Pattern.compile("/api/models/([^/]+/[^/]+)");
    private static final Pattern TREE = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/([^/]+)(?:/(.+))?");
    private static final Pattern PATHS_INFO = Pattern.compile("/api/models/([^/]+/[^/]+)/paths-info/([^/]+)");
    private static final Pattern COMMITS = Pattern.compile("/api/models/([^/]+/[^/]+)/commits/([^/]+)");
    private static final Pattern BATCH = Pattern.compile("/([^/]+/[^/]+)\\.git/info/lfs/objects/batch");

    /** A fault played instead of, or on top of, a normal answer. */
    public sealed interface Fault {
        /** 429 with {@code Retry-After}. */
        record TooManyRequests(long retryAfterSeconds) implements Fault {}

        /** A 5xx status. */
        record ServerError(int status) implements Fault {}

        /** This status with a body quoting the request's headers, {@code Authorization} included (as misconfigured proxies answer). */
        record EchoHeaders(int status) implements Fault {}

        /** 404 with this {@code X-Error-Code} (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo). */
        record NotFound(String errorCode) implements Fault {}

        /** A file body announced in full but cut after {@code bytes} bytes (the connection drops). */
        record CutAfter(long bytes) implements Fault {}

        /** A file body with one byte flipped (same length): the hash must catch it. */
        record WrongBytes() implements Fault {}

        /** A resolve answer that names another commit in {@code X-Repo-Commit} (a moved ref, a confused proxy). */
        record OtherCommit() implements Fault {}

        /** A file body sent {@code chunk} bytes at a time with {@code pause} between chunks. */
        record Drip(int chunk, Duration pause) implements Fault {}
    }

    /**
     * A recorded request.
     *
     * @param storage whether it reached the storage origin (CDN downloads, LFS uploads) rather than the Hub's
     */
    public record Request(
            String method, String path, Optional<String> range, Optional<String> authorization, boolean storage) {}

    /** A commit of a repo's history. */
    private record Commit(String sha, String title, Instant date, String parent) {}

    private record Entry(String name, long size, boolean lfs, String oid) {}

    private static final class Repo {
        volatile boolean isPrivate;
        final Map<String, Map<String, Entry>> commits = new ConcurrentHashMap<>();
        final List<Commit> history = new CopyOnWriteArrayList<>();
        volatile String main;
        final Instant created = Instant.now();
    }

    private final Path dir;
    private final HttpServer server;
    private final HttpServer storage;
    private volatile Set<String> ignoredPaths = Set.of();
    private volatile Map<String, String> uploadHeaders = Map.of();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Fault> anyFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> transferFaults = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong commitCounter = new AtomicLong();
    private volatile String token;
    private volatile long multipartChunk = Long.MAX_VALUE;
    private final ThreadLocal<Boolean> otherCommit = ThreadLocal.withInitial(() -> false);

    private FakeHub(Path dir) throws IOException {
        this.dir = requireNonNull(dir, "dir is null");
        Files.createDirectories(dir.resolve("objects"));
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
     * The storage origin (CDN and LFS uploads), e.g. {@code http://localhost:41235}: another port and
     * another host name (for the loopback address), as the Hub's CDN is another host; clients that keep
     * their token to the Hub's host (huggingface_hub compares host names) must not send it here.
     */
    public URI storageEndpoint() {
        return URI.create("http://localhost:" + storage.getAddress().getPort());
    }

    /** Preupload answers {@code shouldIgnore: true} for these paths (as for files the repo's .gitignore matches). */
    public void ignorePaths(Set<String> paths) {
        ignoredPaths = Set.copyOf(paths);
    }

    /**
     * The {@code header} map the LFS batch answer gives with a basic upload action. The Hub's may hold
     * names a client must not copy onto its PUT (such as {@code Host} or {@code Content-Length}).
     */
    public void uploadActionHeaders(Map<String, String> headers) {
        uploadHeaders = Map.copyOf(headers);
    }

    /** Starts a hub storing its objects under {@code dir}. */
    public static FakeHub start(Path dir) {
        try {
            return new FakeHub(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requires {@code Authorization: Bearer <token>} for writes and private repos ({@code null}: open). */
    public void requireToken(String token) {
        this.token = token;
    }

    /**
     * LFS objects larger than {@code chunkBytes} are uploaded with the multipart transfer (parts of
     * that size) when the client offers it, as the Hub does for files over the storage's single-PUT
     * limit.
     */
    public void multipartAbove(long chunkBytes) {
        multipartChunk = chunkBytes;
    }

    /** Plays {@code fault} on the next {@code times} requests. */
    public void enqueue(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            anyFaults.add(requireNonNull(fault, "fault is null"));
        }
    }

    /** Plays {@code fault} on the next {@code times} LFS file bodies (the CDN's answers). */
    public void enqueueTransfer(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            transferFaults.add(requireNonNull(fault, "fault is null"));
        }
    }

    /** Every request so far. */
    public List<Request> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** Forgets requests and queued faults. */
    public void reset() {
        requests.clear();
        anyFaults.clear();
        transferFaults.clear();
    }

    /**
     * Adds a file to the head commit of a repo as a new commit without any upload (for hostile or
     * oversized repos), returning the commit. {@code size} is what info announces.
     */
    public String addAnnouncedFile(String repoId, String name, long size) {
        Repo repo = repos.computeIfAbsent(repoId, ignored -> new Repo());
        Map<String, Entry> files = new LinkedHashMap<>(repo.main == null ? Map.of() : repo.commits.get(repo.main));
        files.put(name, new Entry(name, size, true, "0".repeat(64)));
        return newCommit(repo, files);
    }

    private String newCommit(Repo repo, Map<String, Entry> files) {
        return newCommit(repo, files, "Upload files");
    }

    private String newCommit(Repo repo, Map<String, Entry> files, String title) {
        String sha = sha1Hex(("commit " + commitCounter.incrementAndGet() + " " + System.nanoTime() + " " + files)
                .getBytes(StandardCharsets.UTF_8));
        repo.commits.put(sha, Collections.unmodifiableMap(new LinkedHashMap<>(files)));
        repo.history.add(0, new Commit(sha, title, Instant.now(), repo.main));
        repo.main = sha;
        return sha;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(new Request(
                    method,
                    path,
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range")),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    false));
            Fault fault = anyFaults.poll();
            if (fault instanceof Fault.TooManyRequests tooMany) {
                exchange.getResponseHeaders().add("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
                error(exchange, 429, "TooManyRequests", "You have exceeded our hourly quotas");
                return;
            }
            if (fault instanceof Fault.ServerError serverError) {
                error(exchange, serverError.status(), null, "Internal Error");
                return;
            }
            if (fault instanceof Fault.EchoHeaders echo) {
                error(
                        exchange,
                        echo.status(),
                        null,
                        "Bad gateway; request was " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                                + " with "
                                + exchange.getRequestHeaders().entrySet().stream()
                                        .map(h -> h.getKey() + ": " + String.join(",", h.getValue()))
                                        .sorted()
                                        .toList());
                return;
            }
            if (fault instanceof Fault.NotFound notFound) {
                error(
                        exchange,
                        404,
                        notFound.errorCode(),
                        notFound.errorCode().replaceAll("([a-z])([A-Z])", "$1 $2") + ".");
                return;
            }
            otherCommit.set(fault instanceof Fault.OtherCommit);
            Matcher m;
            if (method.equals("GET") && (m = INFO.matcher(path)).matches()) {
                info(exchange, m.group(1), decode(m.group(2)));
            } else if (method.equals("GET") && (m = INFO_HEAD.matcher(path)).matches()) {
                info(exchange, m.group(1), "main");
            } else if (method.equals("GET") && (m = TREE.matcher(path)).matches()) {
                tree(exchange, m.group(1), decode(m.group(2)), m.group(3) == null ? "" : decode(m.group(3)));
            } else if (method.equals("POST") && (m = PATHS_INFO.matcher(path)).matches()) {
                pathsInfo(exchange, m.group(1), decode(m.group(2)));
            } else if (method.equals("GET") && (m = COMMITS.matcher(path)).matches()) {
                commits(exchange, m.group(1), decode(m.group(2)));
            } else if (method.equals("GET") && path.equals("/api/whoami-v2")) {
                whoami(exchange);
            } else if ((method.equals("GET") || method.equals("HEAD")) && (m = RESOLVE.matcher(path)).matches()) {
                resolve(exchange, m.group(1), decode(m.group(2)), decode(m.group(3)));
            } else if (method.equals("POST") && path.equals("/api/repos/create")) {
                createRepo(exchange);
            } else if (method.equals("POST") && (m = PREUPLOAD.matcher(path)).matches()) {
                preupload(exchange, m.group(1), decode(m.group(2)));
            } else if (method.equals("POST") && (m = BATCH.matcher(path)).matches()) {
                batch(exchange, m.group(1));
            } else if (method.equals("POST") && path.startsWith("/lfs-complete/")) {
                lfsComplete(exchange, path.substring("/lfs-complete/".length()));
            } else if (method.equals("POST") && path.startsWith("/lfs-verify/")) {
                lfsVerify(exchange, path.substring("/lfs-verify/".length()));
            } else if (method.equals("POST") && (m = COMMIT.matcher(path)).matches()) {
                commit(exchange, m.group(1), decode(m.group(2)));
            } else if (method.equals("PUT") && (m = SETTINGS.matcher(path)).matches()) {
                settings(exchange, m.group(1));
            } else {
                error(exchange, 404, null, "Not Found");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The storage origin: CDN downloads of LFS objects, and LFS uploads (whole and by part). */
    private void handleStorage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(new Request(
                    method,
                    path,
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range")),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    true));
            if ((method.equals("GET") || method.equals("HEAD")) && path.startsWith("/cdn/")) {
                serveObject(exchange, path.substring("/cdn/".length()));
            } else if (method.equals("PUT") && path.startsWith("/lfs-upload/")) {
                lfsUpload(exchange, path.substring("/lfs-upload/".length()));
            } else if (method.equals("PUT") && path.startsWith("/lfs-part/")) {
                lfsPart(exchange, path.substring("/lfs-part/".length()));
            } else {
                error(exchange, 404, null, "NoSuchKey");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private boolean authorized(HttpExchange exchange) {
        String required = token;
        return required == null
                || ("Bearer " + required).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private Repo readable(HttpExchange exchange, String repoId) throws IOException {
        Repo repo = repos.get(repoId);
        if (repo == null || (repo.isPrivate && !authorized(exchange))) {
            error(exchange, repo == null ? 404 : 401, "RepoNotFound", "Repository not found");
            return null;
        }
        return repo;
    }

    /** The commit {@code rev} names in {@code repo}; or null, with the Hub's 404 sent. */
    private String commitOf(HttpExchange exchange, Repo repo, String rev) throws IOException {
        String sha = revision(repo, rev);
        if (sha == null) {
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + rev);
        }
        return sha;
    }

    /** A branch ({@code main}, and {@code HEAD} for it) or a commit of the repo, or null. */
    private String revision(Repo repo, String rev) {
        return rev.equals("main") || rev.equals("HEAD") || rev.equals("refs/heads/main")
                ? repo.main
                : repo.commits.containsKey(rev) ? rev : null;
    }

    private void info(HttpExchange exchange, String repoId, String rev) throws IOException {
        Repo repo = readable(exchange, repoId);
        String sha = repo == null ? null : commitOf(exchange, repo, rev);
        if (sha == null) {
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("_id", sha1Hex(repoId.getBytes(StandardCharsets.UTF_8)).substring(0, 24))
                .put("id", repoId)
                .put("modelId", repoId)
                .put("author", repoId.substring(0, repoId.indexOf('/')))
                .put("sha", sha)
                .put("private", repo.isPrivate)
                .put("gated", false)
                .put("disabled", false)
                .put("downloads", 0)
                .put("likes", 0)
                .put(
                        "lastModified",
                        repo.history.isEmpty()
                                ? repo.created.toString()
                                : repo.history.get(0).date().toString())
                .put("createdAt", repo.created.toString());
        body.putArray("tags");
        ArrayNode siblings = body.putArray("siblings");
        // huggingface_hub sends blobs=True (Python's spelling of the boolean)
        boolean blobs = String.valueOf(exchange.getRequestURI().getQuery())
                .toLowerCase(Locale.ROOT)
                .contains("blobs=true");
        for (Entry entry : repo.commits.get(sha).values()) {
            ObjectNode sibling = siblings.addObject().put("rfilename", entry.name());
            if (blobs) {
                sibling.put("size", entry.size());
                if (entry.lfs()) {
                    sibling.put("blobId", sha1Hex(entry.oid().getBytes(StandardCharsets.UTF_8)));
                    sibling.putObject("lfs")
                            .put("sha256", entry.oid())
                            .put("size", entry.size())
                            .put("pointerSize", 134);
                } else {
                    sibling.put("blobId", entry.oid());
                }
            }
        }
        json(exchange, 200, body);
    }

    private void resolve(HttpExchange exchange, String repoId, String rev, String name)
            throws IOException, InterruptedException {
        Repo repo = readable(exchange, repoId);
        String sha = repo == null ? null : commitOf(exchange, repo, rev);
        if (sha == null) {
            return;
        }
        Entry entry = repo.commits.get(sha).get(name);
        if (entry == null) {
            error(exchange, 404, "EntryNotFound", name + " does not exist on \"" + rev + "\"");
            return;
        }
        exchange.getResponseHeaders().add("X-Repo-Commit", otherCommit.get() ? "f".repeat(40) : sha);
        if (entry.lfs()) {
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + entry.oid() + "\"");
            exchange.getResponseHeaders().add("X-Linked-Size", Long.toString(entry.size()));
            exchange.getResponseHeaders()
                    .add("ETag", "\"" + sha1Hex(entry.oid().getBytes(StandardCharsets.UTF_8)) + "\"");
            exchange.getResponseHeaders().add("Location", storageEndpoint() + "/cdn/" + entry.oid());
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        exchange.getResponseHeaders().add("ETag", "\"" + entry.oid() + "\"");
        serveBytes(exchange, dir.resolve("objects").resolve(entry.oid()), false);
    }

    private void serveObject(HttpExchange exchange, String oid) throws IOException, InterruptedException {
        Path object = dir.resolve("objects").resolve(oid.replaceAll("[^0-9a-f]", ""));
        if (!Files.isRegularFile(object)) {
            error(exchange, 404, null, "NoSuchKey");
            return;
        }
        serveBytes(exchange, object, true);
    }

    private void serveBytes(HttpExchange exchange, Path object, boolean lfs) throws IOException, InterruptedException {
        long size = Files.size(object);
        long from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        int status = 200;
        long to = size - 1;
        if (range != null) {
            Matcher m = Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(range);
            if (m.matches()) {
                from = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    to = Math.min(Long.parseLong(m.group(2)), size - 1);
                }
                if (from >= size || to < from) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
        }
        exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
        long length = to - from + 1;
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        Fault fault = lfs ? transferFaults.poll() : null;
        exchange.sendResponseHeaders(status, length);
        OutputStream out = exchange.getResponseBody();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(object)) {
            private long left = length;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        }) {
            in.skipNBytes(from);
            byte[] buffer = new byte[fault instanceof Fault.Drip drip ? drip.chunk() : 1 << 16];
            long sent = 0;
            long cutAt = fault instanceof Fault.CutAfter cut ? cut.bytes() : Long.MAX_VALUE;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                if (fault instanceof Fault.WrongBytes && sent == 0) {
                    buffer[0] ^= 0x01;
                }
                if (sent + n > cutAt) {
                    out.write(buffer, 0, (int) (cutAt - sent));
                    out.flush();
                    // drop the connection without finishing the announced body
                    throw new IOException("cut by the fake");
                }
                out.write(buffer, 0, n);
                sent += n;
                if (fault instanceof Fault.Drip drip) {
                    out.flush();
                    Thread.sleep(drip.pause().toMillis());
                }
            }
        }
        out.close();
    }

    private void createRepo(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            error(exchange, 401, null, "Invalid credentials in Authorization header");
            return;
        }
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        String organization = body.path("organization").asText(null);
        String repoId = (organization == null ? "user" : organization) + "/"
                + body.path("name").asText();
        boolean isPrivate = body.path("private").asBoolean(false)
                || body.path("visibility").asText("").equals("private");
        Repo created = new Repo();
        created.isPrivate = isPrivate;
        if (repos.putIfAbsent(repoId, created) != null) {
            // the Hub's 409 names the existing repo's URL (huggingface_hub's create_repo(exist_ok=True) reads it)
            exchange.getResponseHeaders().add("X-Error-Message", "You already created this model repo");
            json(
                    exchange,
                    409,
                    MAPPER.createObjectNode()
                            .put("error", "You already created this model repo")
                            .put("url", endpoint() + "/" + repoId));
            return;
        }
        // like the Hub, a new repo has one commit holding .gitattributes
        byte[] attributes = "*.safetensors filter=lfs diff=lfs merge=lfs -text\n".getBytes(StandardCharsets.UTF_8);
        String oid = gitBlobId(attributes);
        Files.write(dir.resolve("objects").resolve(oid), attributes);
        Map<String, Entry> initial = new LinkedHashMap<>();
        initial.put(".gitattributes", new Entry(".gitattributes", attributes.length, false, oid));
        newCommit(created, initial, "initial commit");
        json(
                exchange,
                200,
                MAPPER.createObjectNode()
                        .put("url", endpoint() + "/" + repoId)
                        .put("name", repoId)
                        .put(
                                "id",
                                sha1Hex(repoId.getBytes(StandardCharsets.UTF_8)).substring(0, 24)));
    }

    private void preupload(HttpExchange exchange, String repoId, String rev) throws IOException {
        if (!authorized(exchange) || !repos.containsKey(repoId)) {
            error(exchange, repos.containsKey(repoId) ? 401 : 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!isBranch(repos.get(repoId), rev)) {
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode files = answer.putArray("files");
        for (JsonNode file : body.path("files")) {
            String path = file.path("path").asText();
            boolean lfs = path.endsWith(".safetensors") || file.path("size").asLong() > 10 << 20;
            files.addObject()
                    .put("path", path)
                    .put("uploadMode", lfs ? "lfs" : "regular")
                    .put("shouldIgnore", ignoredPaths.contains(path));
        }
        json(exchange, 200, answer);
    }

    private void batch(HttpExchange exchange, String repoId) throws IOException {
        if (!authorized(exchange)) {
            error(exchange, 401, null, "Invalid credentials");
            return;
        }
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        ObjectNode answer = MAPPER.createObjectNode().put("transfer", "basic");
        ArrayNode objects = answer.putArray("objects");
        for (JsonNode object : body.path("objects")) {
            String oid = object.path("oid").asText();
            ObjectNode out = objects.addObject()
                    .put("oid", oid)
                    .put("size", object.path("size").asLong());
            if (!oid.matches("[0-9a-f]{64}")) {
                out.putObject("error").put("code", 422).put("message", "invalid oid");
                continue;
            }
            if (!Files.isRegularFile(dir.resolve("objects").resolve(oid))) {
                ObjectNode actions = out.putObject("actions");
                long size = object.path("size").asLong();
                boolean multipart = size > multipartChunk
                        && body.path("transfers").toString().contains("multipart");
                if (multipart) {
                    answer.put("transfer", "multipart");
                    ObjectNode header = actions.putObject("upload")
                            .put("href", endpoint() + "/lfs-complete/" + oid)
                            .putObject("header");
                    header.put("chunk_size", Long.toString(multipartChunk));
                    for (long part = 1; (part - 1) * multipartChunk < size; part++) {
                        header.put(Long.toString(part), storageEndpoint() + "/lfs-part/" + oid + "/" + part);
                    }
                } else {
                    ObjectNode header = actions.putObject("upload")
                            .put("href", storageEndpoint() + "/lfs-upload/" + oid)
                            .putObject("header");
                    uploadHeaders.forEach(header::put);
                }
                actions.putObject("verify").put("href", endpoint() + "/lfs-verify/" + oid);
            }
        }
        json(exchange, 200, answer);
    }

    private void lfsUpload(HttpExchange exchange, String oid) throws IOException {
        if (!oid.matches("[0-9a-f]{64}")) {
            error(exchange, 400, null, "bad oid");
            return;
        }
        Path temp = Files.createTempFile(dir.resolve("objects"), "upload", ".tmp");
        try (InputStream in = exchange.getRequestBody()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!sha256Hex(temp).equals(oid)) {
            Files.delete(temp);
            error(exchange, 400, null, "sha256 of the upload does not match the oid");
            return;
        }
        Files.move(temp, dir.resolve("objects").resolve(oid), StandardCopyOption.REPLACE_EXISTING);
        exchange.sendResponseHeaders(200, -1);
    }

    private void lfsPart(HttpExchange exchange, String oidAndPart) throws IOException {
        Matcher m = Pattern.compile("([0-9a-f]{64})/(\\d{1,5})").matcher(oidAndPart);
        if (!m.matches()) {
            error(exchange, 400, null, "bad part path");
            return;
        }
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        Files.write(dir.resolve("objects").resolve(m.group(1) + ".part" + m.group(2)), bytes);
        exchange.getResponseHeaders().add("ETag", "\"" + sha1Hex(bytes) + "\"");
        exchange.sendResponseHeaders(200, -1);
    }

    private void lfsComplete(HttpExchange exchange, String oid) throws IOException {
        // the Hub answers the multipart completion only as git-lfs JSON (huggingface_hub's LFS_HEADERS)
        if (!"application/vnd.git-lfs+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            error(exchange, 415, null, "the completion must be application/vnd.git-lfs+json");
            return;
        }
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        if (!oid.matches("[0-9a-f]{64}") || !oid.equals(body.path("oid").asText())) {
            error(exchange, 400, null, "oid mismatch");
            return;
        }
        Path temp = Files.createTempFile(dir.resolve("objects"), "complete", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            int expected = 1;
            for (JsonNode part : body.path("parts")) {
                Path file = dir.resolve("objects")
                        .resolve(oid + ".part" + part.path("partNumber").asInt());
                if (part.path("partNumber").asInt() != expected++
                        || !Files.isRegularFile(file)
                        || !("\"" + sha1Hex(Files.readAllBytes(file)) + "\"")
                                .equals(part.path("etag").asText())) {
                    error(exchange, 400, null, "part " + part.path("partNumber") + " is missing or its etag differs");
                    return;
                }
                out.write(Files.readAllBytes(file));
            }
        }
        if (!sha256Hex(temp).equals(oid)) {
            Files.delete(temp);
            error(exchange, 400, null, "the parts do not add up to the oid");
            return;
        }
        Files.move(temp, dir.resolve("objects").resolve(oid), StandardCopyOption.REPLACE_EXISTING);
        json(exchange, 200, MAPPER.createObjectNode().put("message", "completed"));
    }

    private void lfsVerify(HttpExchange exchange, String oid) throws IOException {
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        Path object = dir.resolve("objects").resolve(oid.replaceAll("[^0-9a-f]", ""));
        if (!Files.isRegularFile(object)
                || Files.size(object) != body.path("size").asLong(-1)) {
            error(exchange, 422, null, "object not stored");
            return;
        }
        json(exchange, 200, MAPPER.createObjectNode().put("message", "ok"));
    }

    private boolean isBranch(Repo repo, String rev) {
        return rev.equals("main") || rev.equals("HEAD") || rev.equals("refs/heads/main");
    }

    private void commit(HttpExchange exchange, String repoId, String rev) throws IOException {
        Repo repo = repos.get(repoId);
        if (!authorized(exchange) || repo == null) {
            error(exchange, repo == null ? 404 : 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (!isBranch(repo, rev)) {
            // the Hub commits to existing branches only; it never moves main for another name
            error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        Map<String, Entry> files = new LinkedHashMap<>(repo.main == null ? Map.of() : repo.commits.get(repo.main));
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean header = false;
        String title = "Upload files";
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = MAPPER.readTree(line);
            JsonNode value = node.path("value");
            switch (node.path("key").asText()) {
                case "header" -> {
                    header = true;
                    title = value.path("summary").asText(title);
                }
                case "file" -> {
                    byte[] content =
                            Base64.getDecoder().decode(value.path("content").asText());
                    String oid = gitBlobId(content);
                    Files.write(dir.resolve("objects").resolve(oid), content);
                    files.put(
                            value.path("path").asText(),
                            new Entry(value.path("path").asText(), content.length, false, oid));
                }
                case "lfsFile" -> {
                    String oid = value.path("oid").asText();
                    Path object = dir.resolve("objects").resolve(oid.replaceAll("[^0-9a-f]", ""));
                    if (!Files.isRegularFile(object)
                            || Files.size(object) != value.path("size").asLong()) {
                        error(exchange, 422, null, "LFS object " + oid + " was not uploaded");
                        return;
                    }
                    files.put(
                            value.path("path").asText(),
                            new Entry(
                                    value.path("path").asText(),
                                    value.path("size").asLong(),
                                    true,
                                    oid));
                }
                case "deletedFile" -> files.remove(value.path("path").asText());
                default -> {
                    error(exchange, 400, null, "unknown key " + node.path("key").asText());
                    return;
                }
            }
        }
        if (!header) {
            error(exchange, 400, null, "the first line must be the header");
            return;
        }
        String sha = newCommit(repo, files, title);
        json(
                exchange,
                200,
                MAPPER.createObjectNode()
                        .put("commitOid", sha)
                        .put("commitUrl", endpoint() + "/" + repoId + "/commit/" + sha));
    }

    private ObjectNode treeEntry(Entry entry) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("type", "file")
                .put("path", entry.name())
                .put("size", entry.size());
        if (entry.lfs()) {
            node.put("oid", sha1Hex(entry.oid().getBytes(StandardCharsets.UTF_8)));
            node.putObject("lfs")
                    .put("oid", entry.oid())
                    .put("size", entry.size())
                    .put("pointerSize", 134);
        } else {
            node.put("oid", entry.oid());
        }
        return node;
    }

    /** {@code GET /api/models/<repo>/tree/<rev>[/<path>]?recursive=}: files and folders under a path. */
    private void tree(HttpExchange exchange, String repoId, String rev, String under) throws IOException {
        Repo repo = readable(exchange, repoId);
        String sha = repo == null ? null : commitOf(exchange, repo, rev);
        if (sha == null) {
            return;
        }
        boolean recursive = String.valueOf(exchange.getRequestURI().getQuery())
                .toLowerCase(Locale.ROOT)
                .contains("recursive=true");
        String prefix = under.isEmpty() ? "" : under.endsWith("/") ? under : under + "/";
        ArrayNode out = MAPPER.createArrayNode();
        Set<String> folders = new TreeSet<>();
        boolean any = under.isEmpty();
        for (Entry entry : repo.commits.get(sha).values()) {
            if (!entry.name().startsWith(prefix)) {
                continue;
            }
            any = true;
            String rest = entry.name().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                String folder = prefix + rest.substring(0, slash);
                folders.add(folder);
                if (!recursive) {
                    continue;
                }
                for (int i = rest.indexOf('/', slash + 1); i >= 0; i = rest.indexOf('/', i + 1)) {
                    folders.add(prefix + rest.substring(0, i));
                }
            }
            out.add(treeEntry(entry));
        }
        if (!any) {
            error(exchange, 404, "EntryNotFound", under + " does not exist on \"" + rev + "\"");
            return;
        }
        for (String folder : folders) {
            out.add(MAPPER.createObjectNode()
                    .put("type", "directory")
                    .put("path", folder)
                    .put("oid", sha1Hex(folder.getBytes(StandardCharsets.UTF_8)))
                    .put("size", 0));
        }
        json(exchange, 200, out);
    }

    /** {@code POST /api/models/<repo>/paths-info/<rev>} with {@code paths} (form or JSON): the entries that exist. */
    private void pathsInfo(HttpExchange exchange, String repoId, String rev) throws IOException {
        Repo repo = readable(exchange, repoId);
        String sha = repo == null ? null : commitOf(exchange, repo, rev);
        if (sha == null) {
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String> paths = new ArrayList<>();
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (type.startsWith("application/json")) {
            MAPPER.readTree(body).path("paths").forEach(p -> paths.add(p.asText()));
        } else {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0
                        && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                                .equals("paths")) {
                    paths.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        ArrayNode out = MAPPER.createArrayNode();
        Map<String, Entry> files = repo.commits.get(sha);
        for (String path : paths) {
            Entry entry = files.get(path);
            if (entry != null) {
                out.add(treeEntry(entry));
            } else if (files.keySet().stream().anyMatch(name -> name.startsWith(path + "/"))) {
                out.add(MAPPER.createObjectNode()
                        .put("type", "directory")
                        .put("path", path)
                        .put("oid", sha1Hex(path.getBytes(StandardCharsets.UTF_8))));
            }
        }
        json(exchange, 200, out);
    }

    /** {@code GET /api/models/<repo>/commits/<rev>}: the history from that revision back, newest first. */
    private void commits(HttpExchange exchange, String repoId, String rev) throws IOException {
        Repo repo = readable(exchange, repoId);
        String sha = repo == null ? null : commitOf(exchange, repo, rev);
        if (sha == null) {
            return;
        }
        ArrayNode out = MAPPER.createArrayNode();
        Map<String, Commit> bySha = new HashMap<>();
        repo.history.forEach(c -> bySha.put(c.sha(), c));
        for (Commit c = bySha.get(sha); c != null; c = c.parent() == null ? null : bySha.get(c.parent())) {
            ObjectNode node = out.addObject()
                    .put("id", c.sha())
                    .put("title", c.title())
                    .put("message", "")
                    .put("date", c.date().toString());
            node.putArray("authors").addObject().put("user", repoId.substring(0, repoId.indexOf('/')));
        }
        json(exchange, 200, out);
    }

    /** {@code GET /api/whoami-v2}: who the token belongs to (401 without a valid one). */
    private void whoami(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ") || (token != null && !authorized(exchange))) {
            error(exchange, 401, null, "Invalid credentials in Authorization header");
            return;
        }
        ObjectNode body = MAPPER.createObjectNode()
                .put("type", "user")
                .put("id", "0".repeat(24))
                .put("name", "user")
                .put("fullname", "Fake Hub user")
                .put("isPro", false);
        body.putArray("orgs");
        body.putObject("auth")
                .put("type", "access_token")
                .putObject("accessToken")
                .put("displayName", "fake")
                .put("role", "write");
        json(exchange, 200, body);
    }

    private void settings(HttpExchange exchange, String repoId) throws IOException {
        Repo repo = repos.get(repoId);
        if (!authorized(exchange) || repo == null) {
            error(exchange, repo == null ? 404 : 401, "RepoNotFound", "Repository not found");
            return;
        }
        repo.isPrivate =
                MAPPER.readTree(exchange.getRequestBody()).path("private").asBoolean();
        json(exchange, 200, MAPPER.createObjectNode().put("private", repo.isPrivate));
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (code != null) {
            exchange.getResponseHeaders().add("X-Error-Code", code);
        }
        exchange.getResponseHeaders().add("X-Error-Message", message);
        json(exchange, status, MAPPER.createObjectNode().put("error", message));
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Git's blob id of some bytes. */
    public static String gitBlobId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
        executor.shutdownNow();
    }
}
