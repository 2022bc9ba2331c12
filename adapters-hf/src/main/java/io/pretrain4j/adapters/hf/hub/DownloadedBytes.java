package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.ports.store.RepoFile;
import io.pretrain4j.toolkit.download.WatchedCopy;
import io.pretrain4j.toolkit.http.HttpConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bytes of a download on their way to disk: copied by the toolkit's {@link WatchedCopy} (a watchdog
 * abandons a stalled or too slow body; hashed as they arrive, a resumed file's head first), and
 * checked against the size and hash the Hub announced.
 */
final class DownloadedBytes implements AutoCloseable {
    private final HttpConfig settings;
    private final WatchedCopy copier = new WatchedCopy("hf-download-watchdog");

    DownloadedBytes(HttpConfig settings) {
        this.settings = settings;
    }

    /** Copies the body to {@code part}, aborting it when no byte arrives for the read timeout or the rate is too low. */
    void copy(String what, InputStream body, Path part, boolean append, long size, MessageDigest digest)
            throws IOException {
        long limit = size - (append ? Files.size(part) : 0);
        copier.copy(
                body,
                part,
                append,
                limit,
                digest,
                new WatchedCopy.Limits(settings.readTimeout(), settings.minThroughput()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Feeds the bytes already on disk (a resumed file's head) to {@code digest}. */
    static void prime(MessageDigest digest, Path part) throws IOException {
        WatchedCopy.prime(digest, part);
    }

    /**
     * Empty when {@code file} on disk has the announced size and hash, else what differs.
     * {@code streamed} is the SHA-256 computed while the file arrived, if any (saves a read).
     */
    static Optional<String> verified(Path path, RepoFile file, Optional<String> streamed) throws IOException {
        long size = Files.size(path);
        if (size != file.size()) {
            return Optional.of("size " + size + " is not the announced " + file.size());
        }
        if (file.sha256().isPresent()) {
            String actual = streamed.isPresent() ? streamed.get() : Files2.sha256(path);
            return actual.equals(file.sha256().get())
                    ? Optional.empty()
                    : Optional.of("sha256 " + actual + " is not the announced "
                            + file.sha256().get());
        }
        if (file.gitOid().isPresent()) {
            String actual = Files2.gitBlobId(path);
            return actual.equals(file.gitOid().get())
                    ? Optional.empty()
                    : Optional.of("git blob id " + actual + " is not the announced "
                            + file.gitOid().get());
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        copier.close();
    }
}
