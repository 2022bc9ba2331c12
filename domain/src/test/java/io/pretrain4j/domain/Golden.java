package io.pretrain4j.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads the golden fixtures made by {@code src/test/python/make_golden.py} with CPython. Jackson (a
 * test dependency; the domain itself reads no JSON) keeps every number exact: decimals as
 * {@code BigDecimal}, integers as {@code Integer}, {@code Long} or {@code BigInteger}.
 */
public final class Golden {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Golden() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /golden/" + name);
            }
            return JSON.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    public static long asLong(Object value) {
        return decimal(value).longValueExact();
    }

    public static int asInt(Object value) {
        return decimal(value).intValueExact();
    }

    /** A number, or the strings "inf"/"nan" the fixtures use for non-finite values. */
    public static double asDouble(Object value) {
        if (value instanceof String text) {
            return text.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(text);
        }
        return decimal(value).doubleValue();
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal exact ? exact : new BigDecimal(((Number) value).toString());
    }
}
