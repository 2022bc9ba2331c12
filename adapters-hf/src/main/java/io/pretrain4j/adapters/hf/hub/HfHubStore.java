package io.pretrain4j.adapters.hf.hub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Hugging Face Hub (spec/INTERFACES.md B). Downloads: model info at the commit with file sizes
 * ({@code ?blobs=true}), the size limit checked before any file is fetched, then each file the model
 * needs from {@code resolve/<commit>/<file>}: the Hub's {@code X-Repo-Commit} must be the commit
 * asked for and its {@code X-Linked-Etag}/{@code ETag} the announced hash; the bytes go to
 * {@code <file>.incomplete}, a cut transfer resumes with {@code Range}, a stalled or too slow one is
 * abandoned and resumed, and the finished file must have the announced size and SHA-256 (LFS) or
 * git blob id (small files) before it is renamed. Uploads and visibility: {@link HubUploads}.
 */
final class HfHubStore implements RemoteModelStore {
    private static final System.Logger LOG = System.getLogger(HfHubStore.class.getName());
    private static final int MAX_REDIRECTS = 5;

    private final HubHttp http;
    private final HubUploads uploads;
    /** A Retry-After seen by the current file attempt (downloads run one file at a time per store call). */
    private final ThreadLocal<Duration> retryAfter = new ThreadLocal<>();

    private final DownloadedBytes bytes;

    HfHubStore(HubHttp http) {
        this.http = requireNonNull(http, "http is null");
        this.uploads = new HubUploads(http);
        this.bytes = new DownloadedBytes(http.settings);
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
            throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
        }
        JsonNode body = reply.json(what);
        String sha = body.path("sha").asText("");
        if (!sha.equals(commit)) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    what + ": the Hub resolved it to commit '" + ModelFiles.printable(sha) + "'");
        }
        JsonNode siblings = body.path("siblings");
        if (!siblings.isArray()) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": the answer has no 'siblings' list");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode sibling : siblings) {
            String name = sibling.path("rfilename").asText(null);
            if (name == null) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": a sibling has no 'rfilename'");
            }
            if (name.contains("..")
                    || name.startsWith("/")
                    || name.contains("\\")
                    || name.chars().anyMatch(c -> c < 0x20)) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.MODEL_FILES_INVALID,
                        what + ": refusing the hostile file name '" + ModelFiles.printable(name) + "'");
            }
            JsonNode lfs = sibling.path("lfs");
            long size = sibling.path("size").asLong(lfs.path("size").asLong(-1));
            if (size < 0) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE,
                        what + ": no size for " + name + " (the info must be asked with blobs=true)");
            }
            Optional<String> sha256 = lfs.isObject()
                    ? Optional.of(lfs.path("sha256").asText("")).filter(s -> s.matches("[0-9a-f]{64}"))
                    : Optional.empty();
            Optional<String> blob = lfs.isObject()
                    ? Optional.empty()
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
        LOG.log(
                System.Logger.Level.INFO,
                "downloaded {0}@{1}: {2} files, {3} bytes in {4} s ({5} MB/s)",
                repoId,
                commit,
                needed.size(),
                bytes,
                String.format(Locale.ROOT, "%.1f", seconds),
                String.format(Locale.ROOT, "%.1f", bytes / 1e6 / Math.max(seconds, 1e-9)));
        return model;
    }

    private void downloadFile(String repoId, String commit, RepoFile file, Path target) {
        Path done = target.resolve(file.name());
        Path part = target.resolve(file.name() + ".incomplete");
        String what = repoId + "@" + commit + " " + file.name();
        try {
            if (Files.isRegularFile(done)
                    && Files.size(done) == file.size()
                    && DownloadedBytes.verified(done, file, Optional.empty()).isEmpty()) {
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
                    problem = "transfer cut (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                }
                if (problem == null) {
                    Optional<String> mismatch = DownloadedBytes.verified(part, file, streamedSha256);
                    if (mismatch.isEmpty()) {
                        AtomicFiles.move(part, done);
                        return;
                    }
                    Files.deleteIfExists(part);
                    if (restartedAfterBadHash) {
                        throw new Pretrain4jException(
                                ModelStoreErrorCode.MODEL_FILES_INVALID,
                                what + ": " + mismatch.get() + " (twice; the file was deleted)");
                    }
                    restartedAfterBadHash = true;
                    problem = mismatch.get() + "; downloading it again from the start";
                }
                if (attempt >= http.settings.attempts()) {
                    String message = what + ": giving up after " + attempt + " attempts; last: " + problem + " ("
                            + (Files.exists(part)
                                    ? Files.size(part) + " bytes kept in " + part.getFileName() + " for a later resume"
                                    : "nothing kept")
                            + ")";
                    LOG.log(System.Logger.Level.ERROR, message);
                    throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, message);
                }
                Duration wait = retryAfter.get() != null
                        ? retryAfter.get()
                        : HubHttp.min(
                                http.settings.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 20)),
                                http.settings.maxRetryDelay());
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
                String location = headers.firstValue("Location")
                        .orElseThrow(() -> new Pretrain4jException(
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
                throw HubHttp.failure(what, status, headers, body);
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
                digest = DownloadedBytes.sha256();
                if (append) {
                    DownloadedBytes.prime(digest, part);
                }
            }
            bytes.copy(what, response.body(), part, append, file.size(), digest);
            long size = Files.size(part);
            if (size != file.size()) {
                return Attempt.stopped("transfer ended at byte " + size + " of " + file.size());
            }
            return new Attempt(null, digest == null ? Optional.empty() : Optional.of(Files2.hex(digest.digest())));
        }
        throw new Pretrain4jException(
                ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private void checkHubHeaders(String what, String commit, RepoFile file, HttpHeaders headers, int status) {
        if (status >= 400) {
            return;
        }
        Optional<String> repoCommit = headers.firstValue("X-Repo-Commit");
        if (repoCommit.isPresent() && !repoCommit.get().equals(commit)) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    what + ": the Hub serves commit " + ModelFiles.printable(repoCommit.get())
                            + ", not the one asked for");
        }
        Optional<String> etag = headers.firstValue("X-Linked-Etag")
                .or(() -> headers.firstValue("ETag"))
                .map(HfHubStore::unquote);
        Optional<String> expected = file.sha256().or(file::gitOid);
        if (etag.isPresent()
                && expected.isPresent()
                && etag.get().matches("[0-9a-f]{40}|[0-9a-f]{64}")
                && !etag.get().equals(expected.get())) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    what + ": the Hub's ETag " + etag.get() + " is not the announced " + expected.get());
        }
    }

    private static String unquote(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    private static byte[] readSmall(InputStream body) throws IOException {
        try (InputStream in = body) {
            return in.readNBytes(65_536);
        }
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        return uploads.publish(repoId, modelDirectory, makePrivate);
    }

    @Override
    public void setPrivate(String repoId, boolean makePrivate) {
        uploads.setPrivate(repoId, makePrivate);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        bytes.close();
        http.close();
    }
}
