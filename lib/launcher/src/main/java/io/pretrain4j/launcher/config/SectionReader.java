package io.pretrain4j.launcher.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one configuration section that collect problems instead of throwing: each method
 * returns a harmless value (empty, zero, false) and records what was wrong, named by its full key,
 * so that an operator sees every problem of a file at once. Apps read their sections through it and
 * never touch the configuration library.
 */
public final class SectionReader {
    /** The longest interval a setting may name: ten years is past any cadence; more is an overflow or a typo. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    private final Config section;
    private final String where;
    private final List<String> problems;

    SectionReader(Config section, String where, List<String> problems) {
        this.section = requireNonNull(section, "section is null");
        this.where = requireNonNull(where, "where is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    /** Whether the section sets {@code key}. */
    public boolean has(String key) {
        return section.hasPath(key);
    }

    /** A non-blank string. */
    public String string(String key) {
        try {
            String value = section.getString(key);
            if (value.isBlank()) {
                problems.add(where + "." + key + " is empty");
            }
            return value;
        } catch (ConfigException e) {
            problems.add(where + "." + key + ": " + e.getMessage());
            return "";
        }
    }

    /** A whole number in [min, max], read exactly (no clamping of values past a long). */
    public long count(String key, long min, long max) {
        return ConfigNumbers.whole(section, key, min, max, where + ".", problems);
    }

    /** A finite number in [0, max]. */
    public double fraction(String key, double max) {
        try {
            double value = section.getDouble(key);
            if (!(value >= 0 && value <= max) || Double.isInfinite(value)) {
                problems.add(where + "." + key + " must be in [0, " + max + "], got " + value);
                return 0;
            }
            return value;
        } catch (ConfigException e) {
            problems.add(where + "." + key + " must be a number: " + e.getMessage());
            return 0;
        }
    }

    /** A duration such as {@code 20m}, in [0, {@link #MAX_DURATION}]. */
    public Duration duration(String key) {
        try {
            Duration value = section.getDuration(key);
            if (value.isNegative()) {
                problems.add(where + "." + key + " must not be negative");
                return Duration.ZERO;
            }
            if (value.compareTo(MAX_DURATION)
                    > 0) { // Typesafe saturates an overflow (1e30s) at Long.MAX_VALUE nanoseconds
                problems.add(where + "." + key + " must be at most " + MAX_DURATION.toDays() + "d, got " + value);
                return Duration.ZERO;
            }
            return value;
        } catch (ConfigException e) {
            problems.add(where + "." + key + " must be a duration such as 20m or 550s: " + e.getMessage());
            return Duration.ZERO;
        }
    }

    /** A duration as {@link #duration} that must also be above zero. */
    public Duration positiveDuration(String key) {
        int before = problems.size();
        Duration value = duration(key);
        if (problems.size() == before && value.isZero()) {
            problems.add(where + "." + key + " must be positive");
        }
        return value;
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key) {
        try {
            return section.getBoolean(key);
        } catch (ConfigException e) {
            problems.add(where + "." + key + " must be true or false: " + e.getMessage());
            return false;
        }
    }

    /** A free-form object of plain values, as strings; empty when absent. */
    public Map<String, String> freeForm(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!section.hasPath(key)) {
            return values;
        }
        if (section.getValue(key).valueType() != ConfigValueType.OBJECT) {
            problems.add(where + "." + key + " must be an object such as { key = value }");
            return values;
        }
        section.getObject(key).forEach((name, value) -> {
            if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                problems.add(where + "." + key + "." + name + " must be a plain value");
            } else {
                values.put(name, String.valueOf(value.unwrapped()));
            }
        });
        return values;
    }
}
