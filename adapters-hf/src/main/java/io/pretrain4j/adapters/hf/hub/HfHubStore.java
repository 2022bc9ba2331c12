package io.pretrain4j.adapters.hf.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The Hugging Face Hub (spec/INTERFACES.md B). Downloads: model info at the commit with file sizes
 * ({@code ?blobs=true}), the size limit checked before any file is fetched, then each file the model
 * needs from {@code resolve/<commit>/<file>}: the Hub's {@code X-Repo-Commit} must be the commit
 * asked for and its {@code X-Linked-Etag}/{@code ETag} the announced hash; the bytes go to
 * {@code <file>.incomplete}, a cut transfer resumes with {@code Range}, a stalled or too slow one is
 * abandoned and resumed, and the finished file must have the announced size and SHA-256 (LFS) or
 * git blob id (small files) before it is renamed. Uploads: create repo, preupload, LFS batch + PUT
 * (+ verify), NDJSON commit.
 */
final class HfHubStore implements RemoteModelStore {
    private static final System.Logger LOG = System.getLogger(HfHubStore.class.getName());
    private static final int MAX_REDIRECTS = 5;

    private final HubHttp http;
    /** A Retry-After seen by the current file attempt (downloads run one file at a time per store call). */
    private final ThreadLocal<Duration> retryAfter = new ThreadLocal<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hf-download-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    HfHubStore(HubHttp http) {
        this.http = requireNonNull(http, "http is null");
    }

    @Override
    public String id() {
        return "hf:" + http.settings.endpoint();
    }

    @Override
    public RemoteModel info(String repoId, String commit) {
        ModelId.validateRepoId(repoId);
        String what = "model info of " + repoId + "@" + commit;
        URI uri = http.api("/api/models/" + repoId + "/revision/" + encode(commit) + "?blobs=true");
        HubHttp.Reply reply = http.send(what, attempt -> http.request(uri).GET().build());
        if (reply.status() != 200) {
            throw failure(what, reply.status(), reply.headers(), reply.body());
        }
        JsonNode body = reply.json(what);
        String sha = body.path("sha").asText("");
        if (!sha.equals(commit)) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": the Hub resolved it to commit '"
                    + ModelFiles.printable(sha) + "'");
        }
        JsonNode siblings = body.path("siblings");
        if (!siblings.isArray()) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": the answer has no 'siblings' list");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode sibling : siblings) {
            String name = sibling.path("rfilename").asText(null);
            if (name == null) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": a sibling has no 'rfilename'");
            }
            if (name.contains("..") || name.startsWith("/") || name.contains("\\") || name.chars().anyMatch(c -> c < 0x20)) {
                throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": refusing the hostile file name '"
                        + ModelFiles.printable(name) + "'");
            }
            JsonNode lfs = sibling.path("lfs");
            long size = sibling.path("size").asLong(lfs.path("size").asLong(-1));
            if (size < 0) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": no size for " + name
                        + " (the info must be asked with blobs=true)");
            }
            Optional<String> sha256 = lfs.isObject() ? Optional.of(lfs.path("sha256").asText("")).filter(s -> s.matches("[0-9a-f]{64}"))
                    : Optional.empty();
            Optional<String> blob = lfs.isObject() ? Optional.empty()
                    : Optional.ofNullable(sibling.path("blobId").asText(null)).filter(s -> s.matches("[0-9a-f]{40}"));
            files.add(new RepoFile(name, size, sha256, blob));
        }
        return new RemoteModel(repoId, sha, files);
    }

    @Override
    public RemoteModel download(String repoId, String commit, Path target, long maxBytes) {
        RemoteModel model = info(repoId, commit);
        List<RepoFile> needed = model.filesToDownload(maxBytes);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw Files2.io("cannot create " + target, e);
        }
        long started = System.nanoTime();
        long bytes = 0;
        for (RepoFile file : needed) {
            downloadFile(repoId, commit, file, target);
            bytes += file.size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.log(System.Logger.Level.INFO, "downloaded {0}@{1}: {2} files, {3} bytes in {4} s ({5} MB/s)", repoId, commit, needed.size(), bytes,
                String.format("%.1f", seconds), String.format("%.1f", bytes / 1e6 / Math.max(seconds, 1e-9)));
        return model;
    }

    private void downloadFile(String repoId, String commit, RepoFile file, Path target) {
        Path done = target.resolve(file.name());
        Path part = target.resolve(file.name() + ".incomplete");
        String what = repoId + "@" + commit + " " + file.name();
        try {
            if (Files.isRegularFile(done) && Files.size(done) == file.size() && verified(done, file, Optional.empty()).isEmpty()) {
                return; // finished by an earlier call
            }
            URI resolve = http.api("/" + repoId + "/resolve/" + commit + "/" + encode(file.name()));
            boolean restartedAfterBadHash = false;
            for (int attempt = 1; ; attempt++) {
                String problem;
                Optional<String> streamedSha256 = Optional.empty();
                try {
                    Attempt result = transfer(what, resolve, commit, file, part);
                    problem = result.problem();
                    streamedSha256 = result.sha256();
                } catch (IOException e) {
                    problem = "transfer cut (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                }
                if (problem == null) {
                    Optional<String> mismatch = verified(part, file, streamedSha256);
                    if (mismatch.isEmpty()) {
                        Files.move(part, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        return;
                    }
                    Files.deleteIfExists(part);
                    if (restartedAfterBadHash) {
                        throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": " + mismatch.get()
                                + " (twice; the file was deleted)");
                    }
                    restartedAfterBadHash = true;
                    problem = mismatch.get() + "; downloading it again from the start";
                }
                if (attempt >= http.settings.attempts()) {
                    String message = what + ": giving up after " + attempt + " attempts; last: " + problem + " ("
                            + (Files.exists(part) ? Files.size(part) + " bytes kept in " + part.getFileName() + " for a later resume" : "nothing kept") + ")";
                    LOG.log(System.Logger.Level.ERROR, message);
                    throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, message);
                }
                Duration wait = retryAfter.get() != null ? retryAfter.get()
                        : HubHttp.min(http.settings.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 20)), http.settings.maxRetryDelay());
                retryAfter.remove();
                http.pause(what, problem, wait, attempt);
            }
        } catch (IOException e) {
            throw Files2.io("cannot write " + part, e);
        }
    }

    /**
     * What one attempt at a file ended with.
     *
     * @param problem null when the file is complete, else why the attempt stopped (to be retried)
     * @param sha256 the SHA-256 of the whole file, computed while it streamed in, when known
     */
    private record Attempt(String problem, Optional<String> sha256) {
        static Attempt stopped(String problem) {
            return new Attempt(problem, Optional.empty());
        }
    }

    /**
     * One attempt at the rest of a file: follows redirects by hand (the token goes to the Hub only),
     * checks the Hub's headers, appends from where {@code part} ends, hashing as the bytes arrive (a
     * resumed file's existing bytes are hashed first), so the file is not read again to verify it.
     */
    private Attempt transfer(String what, URI resolve, String commit, RepoFile file, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have == file.size()) {
            return new Attempt(null, Optional.empty());
        }
        URI uri = resolve;
        boolean checkedHub = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = http.request(uri).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = http.stream(request.build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": interrupted", e);
            }
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (!checkedHub) {
                checkHubHeaders(what, commit, file, headers, status);
                checkedHub = true;
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                response.body().close();
                String location = headers.firstValue("Location").orElseThrow(() -> new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": redirect without a Location"));
                uri = uri.resolve(location);
                continue;
            }
            if (status == 416 && have > 0) {
                response.body().close();
                Files.delete(part); // our partial file does not fit the server's: start again
                return Attempt.stopped("the server refused to resume at byte " + have);
            }
            if (status == 429 || status == 408 || status >= 500) {
                byte[] body = readSmall(response.body());
                HubHttp.retryAfter(headers).ifPresent(retryAfter::set);
                return Attempt.stopped("HTTP " + status + HubHttp.describe(headers, body));
            }
            if (status != 200 && status != 206) {
                byte[] body = readSmall(response.body());
                throw failure(what, status, headers, body);
            }
            boolean append = status == 206;
            if (append) {
                String range = headers.firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    response.body().close();
                    Files.delete(part);
                    return Attempt.stopped("the server answered the range request with '" + range + "'");
                }
            } else if (have > 0) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: the server ignored the range; starting the file again", what);
            }
            MessageDigest digest = null;
            if (file.sha256().isPresent()) {
                digest = sha256();
                if (append) {
                    prime(digest, part);
                }
            }
            copy(what, response.body(), part, append, file.size(), digest);
            long size = Files.size(part);
            if (size != file.size()) {
                return Attempt.stopped("transfer ended at byte " + size + " of " + file.size());
            }
            return new Attempt(null, digest == null ? Optional.empty() : Optional.of(Files2.hex(digest.digest())));
        }
        throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private void checkHubHeaders(String what, String commit, RepoFile file, HttpHeaders headers, int status) {
        if (status >= 400) {
            return;
        }
        Optional<String> repoCommit = headers.firstValue("X-Repo-Commit");
        if (repoCommit.isPresent() && !repoCommit.get().equals(commit)) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": the Hub serves commit "
                    + ModelFiles.printable(repoCommit.get()) + ", not the one asked for");
        }
        Optional<String> etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag")).map(HfHubStore::unquote);
        Optional<String> expected = file.sha256().or(file::gitOid);
        if (etag.isPresent() && expected.isPresent() && etag.get().matches("[0-9a-f]{40}|[0-9a-f]{64}") && !etag.get().equals(expected.get())) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": the Hub's ETag " + etag.get()
                    + " is not the announced " + expected.get());
        }
    }

    private static String unquote(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    /** Copies the body to {@code part}, aborting it when no byte arrives for the read timeout or the rate is too low. */
    private void copy(String what, InputStream body, Path part, boolean append, long size, MessageDigest digest) throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong received = new AtomicLong();
        AtomicBoolean aborted = new AtomicBoolean();
        long started = System.nanoTime();
        long readTimeoutNanos = http.settings.readTimeout().toNanos();
        ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            boolean stalled = now - lastProgress.get() > readTimeoutNanos;
            boolean slow = now - started > readTimeoutNanos
                    && received.get() / ((now - started) / 1e9) < http.settings.minThroughput();
            if ((stalled || slow) && aborted.compareAndSet(false, true)) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is how the blocked read is woken up
                }
            }
        }, 50, Math.max(10, readTimeoutNanos / 5_000_000), TimeUnit.MILLISECONDS);
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 20];
            long limit = size - (append ? Files.size(part) : 0);
            long copied = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                int keep = (int) Math.min(n, limit - copied);
                if (keep > 0) {
                    out.write(buffer, 0, keep);
                    if (digest != null) {
                        digest.update(buffer, 0, keep);
                    }
                    copied += keep;
                }
                received.addAndGet(n);
                lastProgress.set(System.nanoTime());
                if (copied > limit || n > keep) {
                    throw new IOException("the server sent more than the announced " + size + " bytes");
                }
            }
        } catch (IOException e) {
            if (aborted.get()) {
                throw new IOException("stalled or slower than " + http.settings.minThroughput() + " bytes/s (read timeout "
                        + http.settings.readTimeout().toMillis() + " ms)", e);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        if (aborted.get()) {
            throw new IOException("stalled or slower than " + http.settings.minThroughput() + " bytes/s");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Feeds the bytes already on disk (a resumed file's head) to {@code digest}. */
    private static void prime(MessageDigest digest, Path part) throws IOException {
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
    }

    /**
     * Empty when {@code file} on disk has the announced size and hash, else what differs.
     * {@code streamed} is the SHA-256 computed while the file arrived, if any (saves a read).
     */
    private static Optional<String> verified(Path path, RepoFile file, Optional<String> streamed) throws IOException {
        long size = Files.size(path);
        if (size != file.size()) {
            return Optional.of("size " + size + " is not the announced " + file.size());
        }
        if (file.sha256().isPresent()) {
            String actual = streamed.isPresent() ? streamed.get() : Files2.sha256(path);
            return actual.equals(file.sha256().get()) ? Optional.empty()
                    : Optional.of("sha256 " + actual + " is not the announced " + file.sha256().get());
        }
        if (file.gitOid().isPresent()) {
            String actual = Files2.gitBlobId(path);
            return actual.equals(file.gitOid().get()) ? Optional.empty()
                    : Optional.of("git blob id " + actual + " is not the announced " + file.gitOid().get());
        }
        return Optional.empty();
    }

    private static byte[] readSmall(InputStream body) throws IOException {
        try (InputStream in = body) {
            return in.readNBytes(65_536);
        }
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        ModelId.validateRepoId(repoId);
        List<Path> files = io.pretrain4j.ports.store.ModelFiles.publishable(repoId, modelDirectory);
        String[] parts = repoId.split("/", 2);
        createRepo(repoId, parts[0], parts[1], makePrivate);
        try {
            Map<String, Upload> uploads = new LinkedHashMap<>();
            for (Path file : files) {
                byte[] sample;
                try (InputStream in = Files.newInputStream(file)) {
                    sample = in.readNBytes(512);
                }
                uploads.put(file.getFileName().toString(), new Upload(file, Files.size(file), Files2.sha256(file), sample));
            }
            Map<String, String> modes = preupload(repoId, uploads);
            uploads.keySet().retainAll(modes.keySet()); // files the Hub said to ignore are neither uploaded nor committed
            List<Upload> lfs = uploads.values().stream().filter(u -> "lfs".equals(modes.get(u.name()))).toList();
            if (!lfs.isEmpty()) {
                uploadLfs(repoId, lfs);
            }
            return commit(repoId, uploads, modes);
        } catch (IOException e) {
            throw Files2.io("cannot read " + modelDirectory, e);
        }
    }

    private record Upload(Path path, long size, String sha256, byte[] sample) {
        String name() {
            return path.getFileName().toString();
        }
    }

    private void createRepo(String repoId, String namespace, String name, boolean makePrivate) {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        body.put("name", name);
        body.put("organization", namespace);
        body.put("private", makePrivate);
        body.put("visibility", makePrivate ? "private" : "public");
        HubHttp.Reply reply = http.send("create repo " + repoId, attempt -> http.request(http.api("/api/repos/create"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (reply.status() != 200 && reply.status() != 201 && reply.status() != 409) {
            throw failure("create repo " + repoId, reply.status(), reply.headers(), reply.body());
        }
    }

    private Map<String, String> preupload(String repoId, Map<String, Upload> uploads) {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("files");
        for (Upload upload : uploads.values()) {
            list.addObject().put("path", upload.name()).put("sample", Base64.getEncoder().encodeToString(upload.sample()))
                    .put("size", upload.size());
        }
        String what = "preupload to " + repoId;
        HubHttp.Reply reply = http.send(what, attempt -> http.request(http.api("/api/models/" + repoId + "/preupload/main"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (reply.status() != 200) {
            throw failure(what, reply.status(), reply.headers(), reply.body());
        }
        Map<String, String> modes = new LinkedHashMap<>();
        java.util.Set<String> ignored = new java.util.TreeSet<>();
        for (JsonNode file : reply.json(what).path("files")) {
            String path = file.path("path").asText();
            if (file.path("shouldIgnore").asBoolean(false)) {
                // the repo's .gitignore matches it: the official clients skip such files, and so does this one
                ignored.add(path);
                continue;
            }
            modes.put(path, file.path("uploadMode").asText("regular"));
        }
        if (!ignored.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: the Hub ignores {1} (the repo''s .gitignore); not uploaded", what, ignored);
        }
        for (String name : uploads.keySet()) {
            if (!modes.containsKey(name) && !ignored.contains(name)) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": no upload mode for " + name);
            }
        }
        return modes;
    }

    private void uploadLfs(String repoId, List<Upload> lfs) throws IOException {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        body.put("operation", "upload");
        body.putArray("transfers").add("basic").add("multipart");
        ArrayNode objects = body.putArray("objects");
        for (Upload upload : lfs) {
            objects.addObject().put("oid", upload.sha256()).put("size", upload.size());
        }
        body.put("hash_algo", "sha256");
        body.putObject("ref").put("name", "main");
        String what = "LFS batch for " + repoId;
        URI batch = http.api("/" + repoId + ".git/info/lfs/objects/batch");
        HubHttp.Reply reply = http.send(what, attempt -> http.request(batch).header("Accept", "application/vnd.git-lfs+json")
                .header("Content-Type", "application/vnd.git-lfs+json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (reply.status() != 200) {
            throw failure(what, reply.status(), reply.headers(), reply.body());
        }
        Map<String, Upload> byOid = new LinkedHashMap<>();
        lfs.forEach(upload -> byOid.put(upload.sha256(), upload));
        for (JsonNode object : reply.json(what).path("objects")) {
            Upload upload = byOid.get(object.path("oid").asText());
            if (upload == null) {
                continue;
            }
            if (object.has("error")) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": " + upload.name() + ": "
                        + object.path("error").path("message").asText("refused"));
            }
            JsonNode actions = object.path("actions");
            JsonNode put = actions.path("upload");
            if (put.isObject()) {
                if (put.path("header").has("chunk_size")) {
                    uploadMultipart(upload, put);
                } else {
                    uploadBasic(upload, put);
                }
            }
            JsonNode verify = actions.path("verify");
            if (verify.isObject()) {
                URI href = URI.create(verify.path("href").asText());
                String payload = HubHttp.MAPPER.createObjectNode().put("oid", upload.sha256()).put("size", upload.size()).toString();
                // as huggingface_hub's lfs_upload: a JSON POST with the Hub's own headers (the token only to the Hub's origin)
                HubHttp.Reply verified = http.send("verify " + upload.name(), attempt -> http.request(href)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(payload)).build());
                if (verified.status() / 100 != 2) {
                    throw failure("verify " + upload.name(), verified.status(), verified.headers(), verified.body());
                }
            }
        }
    }

    /**
     * One PUT of the whole file to the upload href. The batch answer's {@code header} map is not sent
     * (huggingface_hub's {@code _upload_single_part} sends none; it may hold names such as {@code Host} or
     * {@code Content-Length} that an HTTP client must set itself).
     */
    private void uploadBasic(Upload upload, JsonNode put) {
        URI href = URI.create(put.path("href").asText());
        HubHttp.Reply uploaded = http.send("upload " + upload.name(), attempt -> {
            try {
                return http.request(href).PUT(HttpRequest.BodyPublishers.ofFile(upload.path())).build();
            } catch (IOException e) {
                throw Files2.io("cannot read " + upload.path(), e);
            }
        });
        if (uploaded.status() / 100 != 2) {
            throw failure("upload " + upload.name(), uploaded.status(), uploaded.headers(), uploaded.body());
        }
    }

    /**
     * The LFS multipart transfer (files over the storage's single-PUT limit): the header carries
     * {@code chunk_size} and one URL per part number; each part is PUT (retried on its own), then the
     * href gets {@code {"oid", "parts": [{"partNumber", "etag"}]}}.
     */
    private void uploadMultipart(Upload upload, JsonNode put) throws IOException {
        JsonNode header = put.path("header");
        long chunkSize = header.path("chunk_size").asLong(0);
        TreeMap<Integer, URI> parts = new TreeMap<>();
        header.fields().forEachRemaining(h -> {
            if (h.getKey().matches("\\d{1,5}")) {
                parts.put(Integer.parseInt(h.getKey()), URI.create(h.getValue().asText()));
            }
        });
        long expectedParts = chunkSize <= 0 ? -1 : (upload.size() + chunkSize - 1) / chunkSize;
        if (chunkSize <= 0 || parts.size() != expectedParts || parts.firstKey() != 1 || parts.lastKey() != parts.size()) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, "upload " + upload.name() + ": the Hub's multipart plan ("
                    + parts.size() + " parts of " + chunkSize + " bytes) does not fit " + upload.size() + " bytes");
        }
        ObjectNode completion = HubHttp.MAPPER.createObjectNode().put("oid", upload.sha256());
        ArrayNode etags = completion.putArray("parts");
        for (Map.Entry<Integer, URI> part : parts.entrySet()) {
            long offset = (part.getKey() - 1) * chunkSize;
            byte[] chunk = readChunk(upload.path(), offset, (int) Math.min(chunkSize, upload.size() - offset));
            String what = "upload " + upload.name() + " part " + part.getKey() + " of " + parts.size();
            HubHttp.Reply reply = http.send(what, attempt -> http.request(part.getValue()).PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build());
            if (reply.status() / 100 != 2) {
                throw failure(what, reply.status(), reply.headers(), reply.body());
            }
            String etag = reply.headers().firstValue("ETag").orElseThrow(() -> new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE,
                    what + ": no ETag in the answer"));
            etags.addObject().put("partNumber", part.getKey()).put("etag", etag);
        }
        String payload = completion.toString();
        URI href = URI.create(put.path("href").asText());
        // huggingface_hub's LFS_HEADERS: the completion is git-lfs JSON both ways
        HubHttp.Reply done = http.send("complete upload " + upload.name(), attempt -> http.request(href)
                .header("Accept", "application/vnd.git-lfs+json").header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build());
        if (done.status() / 100 != 2) {
            throw failure("complete upload " + upload.name(), done.status(), done.headers(), done.body());
        }
    }

    private static byte[] readChunk(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(file + " ended before byte " + (offset + length));
                }
            }
            return buffer.array();
        }
    }

    private String commit(String repoId, Map<String, Upload> uploads, Map<String, String> modes) throws IOException {
        StringBuilder ndjson = new StringBuilder();
        ObjectNode header = HubHttp.MAPPER.createObjectNode().put("key", "header");
        header.putObject("value").put("summary", "Upload model with pretrain4j").put("description", "");
        ndjson.append(header).append('\n');
        for (Upload upload : uploads.values()) {
            ObjectNode line = HubHttp.MAPPER.createObjectNode();
            if ("lfs".equals(modes.get(upload.name()))) {
                line.put("key", "lfsFile").putObject("value").put("path", upload.name()).put("algo", "sha256").put("oid", upload.sha256())
                        .put("size", upload.size());
            } else {
                line.put("key", "file").putObject("value").put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(upload.path())))
                        .put("path", upload.name()).put("encoding", "base64");
            }
            ndjson.append(line).append('\n');
        }
        String what = "commit to " + repoId;
        String payload = ndjson.toString();
        HubHttp.Reply reply = http.send(what, attempt -> http.request(http.api("/api/models/" + repoId + "/commit/main"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build());
        if (reply.status() != 200 && reply.status() != 201) {
            throw failure(what, reply.status(), reply.headers(), reply.body());
        }
        String oid = reply.json(what).path("commitOid").asText("");
        if (!oid.matches("[0-9a-f]{40}")) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": the Hub returned no commit id");
        }
        LOG.log(System.Logger.Level.INFO, "published {0}: commit {1} ({2} files)", repoId, oid, uploads.size());
        return oid;
    }

    @Override
    public void setPrivate(String repoId, boolean makePrivate) {
        ModelId.validateRepoId(repoId);
        String payload = HubHttp.MAPPER.createObjectNode().put("private", makePrivate).toString();
        String what = "visibility of " + repoId;
        HubHttp.Reply reply = http.send(what, attempt -> http.request(http.api("/api/models/" + repoId + "/settings"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(payload)).build());
        if (reply.status() != 200) {
            throw failure(what, reply.status(), reply.headers(), reply.body());
        }
    }

    private static Pretrain4jException failure(String what, int status, HttpHeaders headers, byte[] body) {
        String detail = "HTTP " + status + HubHttp.describe(headers, body);
        if (status == 404 || status == 401 || status == 403) {
            return new Pretrain4jException(ModelStoreErrorCode.MODEL_NOT_FOUND, what + ": " + detail
                    + (status == 404 ? "" : " (private, gated, or the token lacks access)"));
        }
        return new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": " + detail);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        http.close();
    }
}
