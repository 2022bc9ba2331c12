package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The portable type registry of a runtime's metadata (scale-info), and a decoder that reads SCALE
 * bytes by a type id of that registry. Storage values are read through it, so the adapter decodes
 * what the runtime declares (for example {@code Weights: Vec<(u16, u16)>}) instead of what a
 * hand-written reader assumes.
 *
 * <p>Decoded values are plain Java: {@link BigInteger} for every integer (compact or fixed width,
 * range-checked against its type), {@link Boolean}, {@code byte[]} for sequences and arrays of
 * {@code u8}, {@link List} for other sequences, arrays and tuples, {@link Composite} and
 * {@link Variant}. Every read is bounds-checked; recursion is limited to {@value #MAX_DEPTH} levels.
 */
public final class TypeRegistry {
    static final int MAX_DEPTH = 64;

    /** A type definition (scale-info's {@code TypeDef}). */
    public sealed interface Def
            permits CompositeDef,
                    VariantDef,
                    SequenceDef,
                    ArrayDef,
                    TupleDef,
                    PrimitiveDef,
                    CompactDef,
                    BitSequenceDef {}

    /** A field of a composite or variant: its name (null when unnamed) and type id. */
    public record Field(String name, long type) {}

    public record CompositeDef(List<Field> fields) implements Def {}

    /** One variant of an enum: its name, index (the byte that selects it) and fields. */
    public record VariantCase(String name, int index, List<Field> fields) {}

    public record VariantDef(List<VariantCase> variants) implements Def {}

    public record SequenceDef(long type) implements Def {}

    public record ArrayDef(long length, long type) implements Def {}

    public record TupleDef(List<Long> types) implements Def {}

    /** {@code kind} is scale-info's {@code TypeDefPrimitive} index: 0 bool, 1 char, 2 str, 3-8 u8..u256, 9-14 i8..i256. */
    public record PrimitiveDef(int kind) implements Def {}

    public record CompactDef(long type) implements Def {}

    public record BitSequenceDef(long storeType, long orderType) implements Def {}

    /** A registered type: its path (for example {@code sp_core::crypto::AccountId32}) and definition. */
    public record Type(long id, List<String> path, Def def) {
        public String name() {
            return path.isEmpty() ? "type " + id : String.join("::", path);
        }
    }

    /** A decoded composite: its field names (null when unnamed) and values, in order. */
    public record Composite(List<String> names, List<Object> values) {
        /** The value of the field named {@code name}. */
        public Object get(String name) {
            int index = names.indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("no field " + name + " (fields: " + names + ")");
            }
            return values.get(index);
        }
    }

    /** A decoded enum value: the variant's name and index, and its fields' values. */
    public record Variant(String name, int index, List<Object> values) {}

    private static final String[] PRIMITIVES = {
        "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256", "i8", "i16", "i32", "i64", "i128", "i256"
    };

    private final Map<Long, Type> types;

    public TypeRegistry(Map<Long, Type> types) {
        this.types = Map.copyOf(types);
    }

    public Type type(long id) {
        Type type = types.get(id);
        if (type == null) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    "the runtime metadata refers to type " + id + ", which its registry does not hold");
        }
        return type;
    }

    /** A readable name of a type, such as {@code Vec<(u16, u16)>}, for messages. */
    public String describe(long id) {
        return describe(id, 0);
    }

    private String describe(long id, int depth) {
        Type type = types.get(id);
        if (type == null) {
            return "?" + id;
        }
        if (depth > 6) {
            return "...";
        }
        return switch (type.def()) {
            case PrimitiveDef p -> p.kind() < PRIMITIVES.length ? PRIMITIVES[p.kind()] : "primitive " + p.kind();
            case CompactDef c -> "Compact<" + describe(c.type(), depth + 1) + ">";
            case SequenceDef s -> "Vec<" + describe(s.type(), depth + 1) + ">";
            case ArrayDef a -> "[" + describe(a.type(), depth + 1) + "; " + a.length() + "]";
            case TupleDef t -> {
                List<String> parts = new ArrayList<>();
                t.types().forEach(part -> parts.add(describe(part, depth + 1)));
                yield "(" + String.join(", ", parts) + ")";
            }
            case CompositeDef c ->
                type.path().isEmpty() ? "struct" : type.path().get(type.path().size() - 1);
            case VariantDef v ->
                type.path().isEmpty() ? "enum" : type.path().get(type.path().size() - 1);
            case BitSequenceDef b -> "BitVec";
        };
    }

    /**
     * Decodes all of {@code bytes} as type {@code id}; bytes left over are an error (the value did not
     * have the declared type).
     */
    public Object decode(byte[] bytes, long id, String source) {
        Scale.Reader in = new Scale.Reader(bytes, source + " (" + describe(id) + ")");
        Object value = decode(in, id, 0);
        if (!in.atEnd()) {
            throw in.malformed(in.remaining() + " bytes left after the value; it is not a " + describe(id));
        }
        return value;
    }

    /** Decodes one value of type {@code id} from {@code in}. */
    public Object decode(Scale.Reader in, long id, int depth) {
        if (depth > MAX_DEPTH) {
            throw in.malformed("types nest deeper than " + MAX_DEPTH + " levels");
        }
        Type type = type(id);
        return switch (type.def()) {
            case PrimitiveDef p -> primitive(in, p.kind());
            case CompactDef c -> compact(in, c.type(), depth);
            case SequenceDef s -> {
                if (isU8(s.type())) {
                    yield in.vec();
                }
                int count = in.count(1, describe(id));
                List<Object> items = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    items.add(decode(in, s.type(), depth + 1));
                }
                yield items;
            }
            case ArrayDef a -> {
                if (a.length() > in.remaining() && a.length() > 0 && !isZeroSized(a.type())) {
                    throw in.malformed(
                            "an array of " + a.length() + " items cannot fit in the " + in.remaining() + " bytes left");
                }
                if (isU8(a.type())) {
                    yield in.bytes((int) a.length());
                }
                List<Object> items = new ArrayList<>((int) Math.min(a.length(), 1024));
                for (long i = 0; i < a.length(); i++) {
                    items.add(decode(in, a.type(), depth + 1));
                }
                yield items;
            }
            case TupleDef t -> {
                List<Object> items = new ArrayList<>(t.types().size());
                for (long part : t.types()) {
                    items.add(decode(in, part, depth + 1));
                }
                yield items;
            }
            case CompositeDef c -> {
                List<String> names = new ArrayList<>(c.fields().size());
                List<Object> values = new ArrayList<>(c.fields().size());
                for (Field field : c.fields()) {
                    names.add(field.name());
                    values.add(decode(in, field.type(), depth + 1));
                }
                yield new Composite(names, values);
            }
            case VariantDef v -> {
                int position = in.position();
                int index = in.u8();
                VariantCase chosen = v.variants().stream()
                        .filter(c -> c.index() == index)
                        .findFirst()
                        .orElseThrow(() -> in.malformed("byte " + position + " selects variant " + index + " of "
                                + type.name() + ", which has no such variant"));
                List<Object> values = new ArrayList<>(chosen.fields().size());
                for (Field field : chosen.fields()) {
                    values.add(decode(in, field.type(), depth + 1));
                }
                yield new Variant(chosen.name(), index, values);
            }
            case BitSequenceDef b -> {
                long bits = in.compact();
                int storeBytes = Math.max(1, width(b.storeType()));
                long words = (bits + storeBytes * 8L - 1) / (storeBytes * 8L);
                if (words * storeBytes > in.remaining()) {
                    throw in.malformed("a bit sequence of " + bits + " bits runs past the end");
                }
                yield in.bytes((int) (words * storeBytes));
            }
        };
    }

    private Object primitive(Scale.Reader in, int kind) {
        return switch (kind) {
            case 0 -> in.bool();
            case 1 -> BigInteger.valueOf(in.u32());
            case 2 -> {
                byte[] raw = in.vec();
                try {
                    yield StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(raw))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw in.malformed("a str that is not UTF-8");
                }
            }
            case 3, 4, 5, 6, 7, 8 -> unsigned(in.bytes(1 << (kind - 3)));
            case 9, 10, 11, 12, 13, 14 -> signed(in.bytes(1 << (kind - 9)));
            default -> throw in.malformed("unknown primitive type " + kind);
        };
    }

    private Object compact(Scale.Reader in, long inner, int depth) {
        Type type = type(inner);
        if (type.def() instanceof CompositeDef c && c.fields().size() == 1) {
            // Compact<T> of a one-field wrapper (e.g. Compact<Perbill>) is the compact of the field
            Object value = compact(in, c.fields().get(0).type(), depth + 1);
            return new Composite(Collections.singletonList(c.fields().get(0).name()), List.of(value));
        }
        if (type.def() instanceof CompositeDef c && c.fields().isEmpty()) {
            return new Composite(List.of(), List.of());
        }
        int start = in.position();
        BigInteger value = in.compactBig();
        int bits = type.def() instanceof PrimitiveDef p && p.kind() >= 3 && p.kind() <= 7 ? 8 << (p.kind() - 3) : 128;
        if (value.bitLength() > bits) {
            throw in.malformed(
                    "the compact integer at byte " + start + " is " + value + ", larger than a u" + bits + " holds");
        }
        return value;
    }

    private boolean isU8(long id) {
        return types.get(id) != null && types.get(id).def() instanceof PrimitiveDef p && p.kind() == 3;
    }

    private boolean isZeroSized(long id) {
        Type type = types.get(id);
        return type == null
                || type.def() instanceof TupleDef t && t.types().isEmpty()
                || type.def() instanceof CompositeDef c && c.fields().isEmpty();
    }

    private int width(long id) {
        Type type = types.get(id);
        return type != null && type.def() instanceof PrimitiveDef p && p.kind() >= 3 && p.kind() <= 6
                ? 1 << (p.kind() - 3)
                : 1;
    }

    private static BigInteger unsigned(byte[] littleEndian) {
        byte[] be = new byte[littleEndian.length + 1];
        for (int i = 0; i < littleEndian.length; i++) {
            be[littleEndian.length - i] = littleEndian[i];
        }
        return new BigInteger(be);
    }

    private static BigInteger signed(byte[] littleEndian) {
        byte[] be = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            be[littleEndian.length - 1 - i] = littleEndian[i];
        }
        return new BigInteger(be);
    }
}
