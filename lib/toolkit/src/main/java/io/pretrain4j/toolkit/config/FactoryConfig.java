package io.pretrain4j.toolkit.config;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.PortErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a factory's string-map configuration and collects every problem, so an operator sees all
 * of them in one error ({@link #done()}): unknown keys (with a "did you mean"), values of the wrong
 * form, values out of range. Durations are written {@code 15s}, {@code 500ms}, {@code 2m} or as
 * plain seconds.
 */
public final class FactoryConfig {
    private final String owner;
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param owner the factory's name, prefixed to the error
     * @param values the configuration
     * @param known every key the factory understands
     */
    public FactoryConfig(String owner, Map<String, String> values, Set<String> known) {
        this.owner = requireNonNull(owner, "owner is null");
        this.values = Map.copyOf(values);
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add("unknown key '" + key + "'"
                        + Suggestions.closest(key, List.copyOf(known), 3)
                                .map(candidate -> " (did you mean '" + candidate + "'?)")
                                .orElse(""));
            }
        }
    }

    /** The value, or {@code fallback}. */
    public String string(String key, String fallback) {
        String value = values.get(key);
        return value == null ? fallback : value.trim();
    }

    /** The value when present and not blank. */
    public Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The factory's name, as errors are prefixed with it. */
    public String owner() {
        return owner;
    }

    /** An integer in [{@code min}, {@code max}]. */
    public long integer(String key, long fallback, long min, long max) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        Optional<BigInteger> value = exactInteger(text.replace("_", ""));
        if (value.isEmpty()) {
            problems.add(
                    key + " '" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "' is not an integer");
            return fallback;
        }
        if (value.get().compareTo(BigInteger.valueOf(min)) < 0 || value.get().compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(key + " " + value.get() + " must be in [" + min + ", " + max + "]");
            return fallback;
        }
        return value.get().longValueExact();
    }

    /**
     * {@code text} as a whole number, read exactly (a decimal such as {@code 1.0E20}, as HOCON hands over
     * numbers past a long, counts when it is integral), or empty when it is not one; more than 400
     * characters are refused before BigDecimal sees an exponent of a billion digits.
     */
    public static Optional<BigInteger> exactInteger(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 400) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(trimmed).toBigIntegerExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key, boolean fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(key + " '" + text + "' must be true or false");
                yield fallback;
            }
        };
    }

    /** A duration in [{@code min}, {@code max}]: {@code 250ms}, {@code 15s}, {@code 2m}, or seconds. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration value;
            if (trimmed.endsWith("ms")) {
                value = Duration.ofMillis(Long.parseLong(
                        trimmed.substring(0, trimmed.length() - 2).trim()));
            } else if (trimmed.endsWith("s")) {
                value = Duration.ofMillis(Math.round(Double.parseDouble(
                                trimmed.substring(0, trimmed.length() - 1).trim())
                        * 1000));
            } else if (trimmed.endsWith("m")) {
                value = Duration.ofMinutes(Long.parseLong(
                        trimmed.substring(0, trimmed.length() - 1).trim()));
            } else {
                value = Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000));
            }
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                problems.add(key + " " + text + " must be between " + min + " and " + max);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " '" + text + "' is not a duration (e.g. 15s, 500ms, 2m)");
            return fallback;
        }
    }

    /** Records a problem found by the factory itself. */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws {@link PortErrorCode#INVALID_CONFIG} listing every problem, if there is any. */
    public void done() {
        if (!problems.isEmpty()) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, owner + ": " + String.join("; ", problems));
        }
    }
}
