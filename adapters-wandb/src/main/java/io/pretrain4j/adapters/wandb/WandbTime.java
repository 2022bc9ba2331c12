package io.pretrain4j.adapters.wandb;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * W&amp;B's timestamps ({@code createdAt}, {@code heartbeatAt}, {@code updatedAt}): ISO-8601
 * without a zone, e.g. {@code 2023-12-01T10:00:00}. They are UTC; the reference's Python read them
 * as the validator's local time (INTERFACES.md C), which shifts model times by the validator's
 * offset. pretrain4j reads them as UTC everywhere; a timestamp with a zone or offset is honoured.
 */
final class WandbTime {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private WandbTime() {}

    /** The instant, or empty for a missing or unreadable value. */
    static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.strip();
        try {
            return Optional.of(LocalDateTime.parse(value, NAIVE).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException naive) {
            try {
                return Optional.of(OffsetDateTime.parse(value).toInstant());
            } catch (DateTimeParseException zoned) {
                return Optional.empty();
            }
        }
    }
}
