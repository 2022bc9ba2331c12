package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.math.BigInteger;
import java.util.List;

/**
 * Reads the plain values {@link TypeRegistry#decode} returns as the shapes the adapter needs,
 * failing with the storage item named when the runtime declares something else. A one-field
 * wrapper (such as {@code NetUid(u16)}) reads as its field.
 */
final class Values {
    private Values() {}

    static long integer(Object value, String what) {
        Object inner = unwrap(value);
        if (!(inner instanceof BigInteger number)) {
            throw shape(what, "an integer", value);
        }
        if (number.signum() < 0 || number.bitLength() > 63) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE, what + " is " + number + ", outside 0 .. 2^63-1");
        }
        return number.longValue();
    }

    static boolean bool(Object value, String what) {
        Object inner = unwrap(value);
        if (!(inner instanceof Boolean b)) {
            throw shape(what, "a bool", value);
        }
        return b;
    }

    static List<?> list(Object value, String what) {
        Object inner = unwrap(value);
        if (!(inner instanceof List<?> items)) {
            throw shape(what, "a sequence", value);
        }
        return items;
    }

    static byte[] bytes(Object value, String what) {
        Object inner = unwrap(value);
        if (!(inner instanceof byte[] bytes)) {
            throw shape(what, "bytes", value);
        }
        return bytes;
    }

    static TypeRegistry.Composite composite(Object value, String what) {
        if (!(value instanceof TypeRegistry.Composite composite)) {
            throw shape(what, "a struct", value);
        }
        return composite;
    }

    static Object field(Object value, String name, String what) {
        TypeRegistry.Composite composite = composite(value, what);
        if (!composite.names().contains(name)) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    what + " has no field '" + name + "' (fields: " + composite.names()
                            + "); this runtime is not one pretrain4j knows how to read");
        }
        return composite.get(name);
    }

    /** A one-field composite is its field (newtypes such as {@code NetUid(u16)}, {@code BoundedVec<T, S>(Vec<T>)}). */
    static Object unwrap(Object value) {
        Object current = value;
        while (current instanceof TypeRegistry.Composite c && c.values().size() == 1) {
            current = c.values().get(0);
        }
        return current;
    }

    private static Pretrain4jException shape(String what, String expected, Object value) {
        return new Pretrain4jException(
                ChainErrorCode.CHAIN_UNAVAILABLE,
                what + ": expected " + expected + ", the runtime's type gave " + kind(value)
                        + "; this runtime is not one pretrain4j knows how to read");
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "nothing";
            case BigInteger n -> "the integer " + n;
            case Boolean b -> "the bool " + b;
            case byte[] b -> b.length + " bytes";
            case List<?> l -> "a sequence of " + l.size();
            case TypeRegistry.Composite c -> "a struct with fields " + c.names();
            case TypeRegistry.Variant v -> "the enum variant " + v.name();
            default -> value.getClass().getSimpleName();
        };
    }
}
