package io.pretrain4j.toolkit.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one copy of a download body to disk that every store uses: bytes hashed as they arrive, never
 * more than the announced size kept, and a watchdog that abandons a body when no byte came for the
 * read timeout or, past the first read timeout, the average rate is below a minimum (closing the body
 * is what wakes the blocked read). Resuming and verifying are the caller's; {@link #prime} feeds a
 * kept part's bytes to the digest first.
 */
public final class WatchedCopy implements AutoCloseable {
    /** The body was abandoned by the watchdog. */
    public static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long copied;

        StalledException(String message, long copied, Throwable cause) {
            super(message, cause);
            this.copied = copied;
        }

        /** Bytes written before the body was cut. */
        public long copied() {
            return copied;
        }
    }

    /** The server sent more than the announced size (nothing past it was kept). */
    public static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLongException(String message) {
            super(message);
        }
    }

    /**
     * How a body must flow: a byte at least every {@code readTimeout}, and at least {@code minBytesPerSecond} on
     * average (0: no minimum).
     */
    public record Limits(Duration readTimeout, long minBytesPerSecond) {}

    private final ScheduledExecutorService watchdog;

    /** A copier whose watchdog thread (a daemon) is named {@code threadName}. */
    public WatchedCopy(String threadName) {
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Copies {@code body} to {@code part} (appended, or from the start), at most {@code limit} bytes,
     * updating {@code digest} (may be null) with what is kept; closes the body.
     *
     * @return the bytes written
     * @throws StalledException when the watchdog cut the body
     * @throws TooLongException when more than {@code limit} bytes came
     */
    public long copy(InputStream body, Path part, boolean append, long limit, MessageDigest digest, Limits limits)
            throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong received = new AtomicLong();
        AtomicBoolean aborted = new AtomicBoolean();
        long started = System.nanoTime();
        long readTimeoutNanos = limits.readTimeout().toNanos();
        ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(
                () -> {
                    long now = System.nanoTime();
                    boolean stalled = now - lastProgress.get() > readTimeoutNanos;
                    boolean slow = limits.minBytesPerSecond() > 0
                            && now - started > readTimeoutNanos
                            && received.get() / ((now - started) / 1e9) < limits.minBytesPerSecond();
                    if ((stalled || slow) && aborted.compareAndSet(false, true)) {
                        try {
                            body.close();
                        } catch (IOException ignored) {
                            // closing is how the blocked read is woken up
                        }
                    }
                },
                50,
                Math.max(10, readTimeoutNanos / 5_000_000),
                TimeUnit.MILLISECONDS);
        long copied = 0;
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 20];
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
                if (n > keep) {
                    throw new TooLongException("the server sent more than the announced " + limit + " bytes");
                }
            }
        } catch (TooLongException e) {
            throw e;
        } catch (IOException e) {
            if (aborted.get()) {
                throw stalled(limits, copied, e);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        if (aborted.get()) {
            throw stalled(limits, copied, null);
        }
        return copied;
    }

    private static StalledException stalled(Limits limits, long copied, Throwable cause) {
        return new StalledException(
                "no byte for " + limits.readTimeout().toMillis() + " ms"
                        + (limits.minBytesPerSecond() > 0
                                ? " or slower than " + limits.minBytesPerSecond() + " bytes/s"
                                : "")
                        + "; the transfer was cut after " + copied + " bytes",
                copied,
                cause);
    }

    /** Feeds the bytes already in {@code file} (a resumed part's head) to {@code digest}. */
    public static void prime(MessageDigest digest, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
