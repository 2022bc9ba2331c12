package io.pretrain4j.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Whole numbers from config, range-checked in their own type. Typesafe Config keeps a number too
 * large for a long as a double and {@code getLong} then clamps it, so {@code max-windows =
 * 99999999999999999999} became {@code Long.MAX_VALUE} and, cast to an int, -1. Here the value is
 * read exactly (as a BigInteger), and anything outside {@code [min, max]}, fractional or not a number
 * is a problem naming the key.
 */
final class ConfigNumbers {
    private ConfigNumbers() {}

    /** The whole number at {@code key} in [min, max]; on a problem, adds it (prefixed by {@code where}) and returns {@code min}. */
    static long whole(Config section, String key, long min, long max, String where, List<String> problems) {
        ConfigValue value;
        try {
            value = section.getValue(key);
        } catch (ConfigException e) {
            problems.add(where + key + " must be a whole number in " + min + ".." + max + ": " + e.getMessage());
            return min;
        }
        BigInteger exact = exact(value);
        if (exact == null) {
            problems.add(where + key + " must be a whole number in " + min + ".." + max + ", got " + shown(value));
            return min;
        }
        if (exact.compareTo(BigInteger.valueOf(min)) < 0 || exact.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(where + key + " must be in " + min + ".." + max + ", got " + exact);
            return min;
        }
        return exact.longValueExact();
    }

    private static BigInteger exact(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        if (value.valueType() == ConfigValueType.NUMBER
                && unwrapped instanceof Double d) { // Typesafe keeps integers past a long as doubles
            return d.isNaN() || d.isInfinite() || d != Math.rint(d) ? null : new BigDecimal(d).toBigIntegerExact();
        }
        if (value.valueType() != ConfigValueType.NUMBER && value.valueType() != ConfigValueType.STRING) {
            return null;
        }
        return FactoryConfig.exactInteger(unwrapped.toString()).orElse(null);
    }

    private static String shown(ConfigValue value) {
        String text = String.valueOf(value.unwrapped());
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
