package io.pretrain4j.toolkit.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * The one reading of an HTTP {@code Retry-After} header for every client of pretrain4j (the Hub,
 * W&amp;B, the datasets server): a whole number of seconds, at least zero, becomes that wait; anything
 * else (an HTTP date, garbage, a negative number) is no answer, and the caller falls back to its own
 * exponential backoff. A wait is never longer than the caller's own maximum.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /** The wait the response's {@code Retry-After} asks for, if it is a number of seconds. */
    public static Optional<Duration> of(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(RetryAfter::parse);
    }

    /** The wait a {@code Retry-After} value asks for, if it is a number of seconds. */
    public static Optional<Duration> parse(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The server's wait when it gave one, else {@code backoff}; never more than {@code max}. */
    public static Duration or(Optional<Duration> asked, Duration backoff, Duration max) {
        Duration wait = asked.orElse(backoff);
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
