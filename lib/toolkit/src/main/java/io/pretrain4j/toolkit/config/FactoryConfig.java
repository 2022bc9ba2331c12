package io.pretrain4j.toolkit.config;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.PortErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a factory's string-map configuration and collects every problem, so an operator sees all
 * of them in one error ({@link #done()}): unknown keys (with a "did you mean"), values of the wrong
 * form, values out of range. Durations are written {@code 15s}, {@code 500ms}, {@code 2m} or as
 * plain seconds.
 *
 * <p>A factory's defaults live in one map, written as an operator would write the values
 * ({@link #defaults(String...)}); the reads without a fallback argument take theirs from it, the
 * factory publishes the same map ({@code NamedFactory.defaults()}) and a test checks
 * {@code application.conf}'s comments against it.
 */
public final class FactoryConfig {
    private final String owner;
    private final Map<String, String> values;
    private final Map<String, String> defaults;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param owner the factory's name, prefixed to the error
     * @param values the configuration
     * @param known every key the factory understands
     */
    public FactoryConfig(String owner, Map<String, String> values, Set<String> known) {
        this(owner, values, Map.of(), known);
    }

    /**
     * @param owner the factory's name, prefixed to the error
     * @param values the configuration
     * @param defaults the values of keys left out, as they would be written ({@link #defaults(String...)})
     * @param known every key the factory understands (those with defaults among them)
     */
    public FactoryConfig(String owner, Map<String, String> values, Map<String, String> defaults, Set<String> known) {
        this.owner = requireNonNull(owner, "owner is null");
        this.values = Map.copyOf(values);
        this.defaults = Map.copyOf(defaults);
        if (!known.containsAll(defaults.keySet())) {
            throw new IllegalArgumentException(owner + ": defaults for keys it does not know: " + defaults.keySet());
        }
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add("unknown key '" + key + "'"
                        + Suggestions.closest(key, List.copyOf(known), 3)
                                .map(candidate -> " (did you mean '" + candidate + "'?)")
                                .orElse(""));
            }
        }
    }

    /**
     * An ordered, unmodifiable map of defaults from {@code key, value} pairs, values written as in a
     * config file ({@code "30s"}, {@code "65536"}, {@code "true"}, {@code "https://huggingface.co"}).
     */
    public static Map<String, String> defaults(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("defaults come in key, value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (map.put(keysAndValues[i], keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("default for '" + keysAndValues[i] + "' given twice");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** {@code shared} defaults (e.g. a connection's) followed by one factory's own {@code keysAndValues}. */
    public static Map<String, String> defaults(Map<String, String> shared, String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>(shared);
        defaults(keysAndValues).forEach((key, value) -> {
            if (map.put(key, value) != null) {
                throw new IllegalArgumentException("default for '" + key + "' given twice");
            }
        });
        return Collections.unmodifiableMap(map);
    }

    /** The value, or its default. */
    public String string(String key) {
        return string(key, defaultOf(key));
    }

    /** An integer in [{@code min}, {@code max}], or its default. */
    public long integer(String key, long min, long max) {
        return integer(
                key,
                parsedDefault(
                        key,
                        text -> exactInteger(text)
                                .map(BigInteger::longValueExact)
                                .orElse(null)),
                min,
                max);
    }

    /** {@code true} or {@code false}, or its default. */
    public boolean bool(String key) {
        return bool(
                key,
                parsedDefault(
                        key, text -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null));
    }

    /** A duration in [{@code min}, {@code max}], or its default. */
    public Duration duration(String key, Duration min, Duration max) {
        return duration(key, parsedDefault(key, FactoryConfig::parseDuration), min, max);
    }

    private String defaultOf(String key) {
        String value = defaults.get(key);
        if (value == null) {
            throw new IllegalStateException(owner + " reads '" + key + "' with no default declared");
        }
        return value;
    }

    private <T> T parsedDefault(String key, Function<String, T> parser) {
        T value;
        try {
            value = parser.apply(defaultOf(key));
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null) {
            throw new IllegalStateException(
                    owner + "'s default for '" + key + "' ('" + defaultOf(key) + "') does not parse");
        }
        return value;
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
        try {
            Duration value = parseDuration(text);
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

    /** {@code 250ms}, {@code 15s}, {@code 2m} or plain seconds. */
    private static Duration parseDuration(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.endsWith("ms")) {
            return Duration.ofMillis(
                    Long.parseLong(trimmed.substring(0, trimmed.length() - 2).trim()));
        } else if (trimmed.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(
                            trimmed.substring(0, trimmed.length() - 1).trim())
                    * 1000));
        } else if (trimmed.endsWith("m")) {
            return Duration.ofMinutes(
                    Long.parseLong(trimmed.substring(0, trimmed.length() - 1).trim()));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000));
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
