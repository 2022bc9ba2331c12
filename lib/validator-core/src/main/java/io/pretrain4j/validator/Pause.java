package io.pretrain4j.validator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A pause of the loop that a stop request (or an interrupt, which becomes one) cuts short, checked every 200 ms. */
final class Pause {
    private Pause() {}

    static void sleep(Duration pause, AtomicBoolean stopping) {
        long end = System.nanoTime() + pause.toNanos();
        while (!stopping.get() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping.set(true);
            }
        }
    }
}
