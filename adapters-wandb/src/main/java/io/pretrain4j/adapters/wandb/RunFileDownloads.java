package io.pretrain4j.adapters.wandb;

import io.pretrain4j.adapters.wandb.WandbApi.RunFile;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.toolkit.download.WatchedCopy;
import io.pretrain4j.toolkit.files.AtomicFiles;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Downloads of W&B run files: each file's URL is fetched (redirects to signed storage followed by
 * hand, the API key kept to the API's origin), a cut or stalled transfer is resumed with
 * {@code Range}, the MD5 is taken while the bytes stream in, and the file takes its name only when
 * size and MD5 are the announced ones.
 */
final class RunFileDownloads implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunFileDownloads.class.getName());
    private static final int MAX_REDIRECTS = 5;

    private final WandbApi api;
    private final WatchedCopy copier = new WatchedCopy("wandb-download-watchdog");

    RunFileDownloads(WandbApi api) {
        this.api = api;
    }

    /** Downloads {@code file} of a run into {@code target}, resuming a kept part, MD5 checked before it takes its name. */
    void download(String what, String repoId, RunFile file, Path target) {
        Path done = target.resolve(ModelFiles.checkName(repoId, file.name()));
        Path part = target.resolve(file.name() + ".incomplete");
        String last = "no attempt";
        int attempts = api.http().settings.attempts();
        Duration backoff = api.http().settings.retryDelay();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                long have = Files.exists(part) ? Files.size(part) : 0;
                if (have > file.size()) {
                    Files.delete(part);
                    have = 0;
                }
                MessageDigest streamed = md5();
                last = have < file.size() || !Files.exists(part) ? transfer(what, file, part, have, streamed) : null;
                if (last == null && Files.size(part) == file.size()) {
                    // the MD5 was taken while the bytes streamed in (and of the kept part, for a resumed file)
                    String md5 =
                            Base64.getEncoder().encodeToString(have == file.size() ? digest(part) : streamed.digest());
                    if (!md5.equals(file.md5().get())) {
                        Files.deleteIfExists(part);
                        throw new Pretrain4jException(
                                ModelStoreErrorCode.MODEL_FILES_INVALID,
                                what + ": the downloaded bytes have MD5 " + md5 + ", not the announced "
                                        + ModelFiles.printable(file.md5().get()) + "; the file was discarded");
                    }
                    AtomicFiles.move(part, done);
                    return;
                }
            } catch (IOException e) {
                last = "I/O failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt < attempts) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: {1}; resuming in {2} ms (attempt {3} of {4})",
                        what,
                        last,
                        backoff.toMillis(),
                        attempt + 1,
                        attempts);
                WandbHttp.sleep(backoff);
                backoff = WandbHttp.doubled(backoff, api.http().settings.maxRetryDelay());
            }
        }
        throw new Pretrain4jException(
                ModelStoreErrorCode.STORE_UNAVAILABLE,
                what + ": giving up after " + attempts + " attempts; last: " + last
                        + (Files.exists(part) ? " (the partial file is kept and resumed next time)" : ""));
    }

    /** One GET from {@code have}; null when the file is complete, else why not (retryable). */
    private String transfer(String what, RunFile file, Path part, long have, MessageDigest md5) throws IOException {
        URI url = file.url().get();
        HttpResponse<InputStream> response = null;
        for (int hop = 0; ; hop++) {
            // W&B answers a file URL with a redirect to signed storage: followed here, the key going to
            // the API's origin only
            HttpRequest.Builder request = api.http().request(url).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            try {
                response = api.http().stream(request.build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": interrupted", e);
            }
            int status = response.statusCode();
            URI from = url;
            Optional<URI> location = response.headers()
                    .firstValue("Location")
                    .flatMap(l -> WandbApi.uri(from.resolve(l).toString()));
            if (!List.of(301, 302, 303, 307, 308).contains(status)) {
                break;
            }
            response.body().close();
            if (location.isEmpty() || hop >= MAX_REDIRECTS) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE,
                        what + ": HTTP " + status
                                + (location.isEmpty()
                                        ? " without a usable Location"
                                        : " after " + MAX_REDIRECTS + " redirects"));
            }
            url = location.get();
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.MODEL_NOT_FOUND,
                        what + ": W&B lists the file but its URL answers 404" + " (the file is missing)");
            }
            if (status == 408 || status == 429 || status >= 500) {
                return "HTTP " + status + WandbHttp.excerpt(body.readNBytes(400));
            }
            if (status != 200 && status != 206) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE,
                        what + ": HTTP " + status + WandbHttp.excerpt(body.readNBytes(400)));
            }
            boolean append = status == 206 && have > 0;
            long start = append ? have : 0;
            if (append) {
                update(md5, part);
            }
            return copy(what, body, part, append, file.size() - start, md5);
        }
    }

    /** Copies at most {@code remaining} bytes; a stalled or too slow body is cut (null when whole, else why not: retryable). */
    private String copy(String what, InputStream body, Path part, boolean append, long remaining, MessageDigest md5)
            throws IOException {
        HttpConfig settings = api.http().settings;
        try {
            long copied = copier.copy(
                    body,
                    part,
                    append,
                    remaining,
                    md5,
                    new WatchedCopy.Limits(settings.readTimeout(), settings.minThroughput()));
            return copied == remaining ? null : "the transfer ended after " + copied + " of " + remaining + " bytes";
        } catch (WatchedCopy.TooLongException e) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    what + ": the server sent more bytes than the " + "announced size; the download was stopped");
        } catch (WatchedCopy.StalledException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "the transfer broke (" + e.getClass().getSimpleName() + ")";
        }
    }

    static byte[] digest(Path file) throws IOException {
        MessageDigest md5 = md5();
        update(md5, file);
        return md5.digest();
    }

    static void update(MessageDigest md5, Path file) throws IOException {
        WatchedCopy.prime(md5, file);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        copier.close();
    }
}
