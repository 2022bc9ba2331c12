package io.pretrain4j.adapters.wandb;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.nio.file.Path;
import java.time.Duration;

/** One warning when sending starts failing, one line when W&amp;B answers again, debug lines between. */
final class SendOutage {
    private static final System.Logger LOG = System.getLogger(WandbRunLogger.class.getName());

    private long startedNanos;

    void failed(String error, long pending, Path spool, Duration maxRetryDelay) {
        if (startedNanos != 0) {
            LOG.log(DEBUG, "W&B run log: still failing: {0}", error);
            return;
        }
        startedNanos = System.nanoTime();
        LOG.log(
                WARNING,
                "W&B run log: sending failed ({0}); {1} step(s) kept in {2}, retrying every {3} ms at most",
                error,
                pending,
                spool,
                maxRetryDelay.toMillis());
    }

    void over(long pending) {
        if (startedNanos != 0) {
            long seconds = (System.nanoTime() - startedNanos) / 1_000_000_000L;
            LOG.log(
                    INFO,
                    "W&B run log: W&B answers again after {0} s; sending the buffered steps ({1} left)",
                    seconds,
                    pending);
            startedNanos = 0;
        }
    }
}
