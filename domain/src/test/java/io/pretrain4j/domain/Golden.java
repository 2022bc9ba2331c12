package io.pretrain4j.domain;

import io.pretrain4j.domain.json.MiniJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the golden fixtures made by {@code src/test/python/make_golden.py} with CPython. */
public final class Golden {
    private Golden() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /golden/" + name);
            }
            return (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
        return ((BigDecimal) value).longValueExact();
    }

    public static int asInt(Object value) {
        return ((BigDecimal) value).intValueExact();
    }

    /** A number, or the strings "inf"/"nan" the fixtures use for non-finite values. */
    public static double asDouble(Object value) {
        if (value instanceof String text) {
            return text.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(text);
        }
        return ((BigDecimal) value).doubleValue();
    }
}
