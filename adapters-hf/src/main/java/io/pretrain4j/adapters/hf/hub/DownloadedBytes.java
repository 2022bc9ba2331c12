package io.pretrain4j.adapters.hf.hub;

import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.ports.store.RepoFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of a download on their way to disk: copied under a watchdog that abandons a stalled or
 * too slow body, hashed as they arrive (a resumed file's head first), and checked against the size
 * and hash the Hub announced.
 */
final class DownloadedBytes implements AutoCloseable {
    private final HubHttp.Settings settings;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hf-download-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    DownloadedBytes(HubHttp.Settings settings) {
        this.settings = settings;
    }

    /** Copies the body to {@code part}, aborting it when no byte arrives for the read timeout or the rate is too low. */
    void copy(String what, InputStream body, Path part, boolean append, long size, MessageDigest digest) throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong received = new AtomicLong();
        AtomicBoolean aborted = new AtomicBoolean();
        long started = System.nanoTime();
        long readTimeoutNanos = settings.readTimeout().toNanos();
        ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            boolean stalled = now - lastProgress.get() > readTimeoutNanos;
            boolean slow = now - started > readTimeoutNanos
                    && received.get() / ((now - started) / 1e9) < settings.minThroughput();
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
                throw new IOException("stalled or slower than " + settings.minThroughput() + " bytes/s (read timeout "
                        + settings.readTimeout().toMillis() + " ms)", e);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        if (aborted.get()) {
            throw new IOException("stalled or slower than " + settings.minThroughput() + " bytes/s");
        }
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
    static Optional<String> verified(Path path, RepoFile file, Optional<String> streamed) throws IOException {
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

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
