package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A runtime's metadata (V14, as {@code state_getMetadata} returns it): each pallet's index, the
 * indices of its calls by name, its storage entries (modifier, value type, the
 * default bytes), the transaction extensions the runtime expects in a signed extrinsic, and the
 * whole type registry, through which storage values are decoded by their declared types.
 *
 * @param pallets pallet name to its index, call indices and storage entries
 * @param extrinsicVersion the extrinsic format version (4)
 * @param signedExtensions the transaction extensions' identifiers, in order
 * @param types the portable type registry
 */
public record RuntimeMetadata(
        Map<String, Pallet> pallets, int extrinsicVersion, List<String> signedExtensions, TypeRegistry types) {
    private static final int MAGIC = 0x6174656d; // "meta" little-endian

    /**
     * A pallet.
     *
     * @param index its index in {@code construct_runtime}
     * @param calls call name to call index
     * @param storage storage item name to its entry
     */
    public record Pallet(int index, Map<String, Integer> calls, Map<String, StorageEntry> storage) {
        public Pallet(int index, Map<String, Integer> calls) {
            this(index, calls, Map.of());
        }
    }

    /**
     * A storage item as the metadata declares it.
     *
     * @param optional {@code true} for {@code OptionQuery} (an absent value is absent), {@code false} for
     *     {@code ValueQuery} (an absent value is {@code fallback})
     * @param valueType the value's type id
     * @param fallback the SCALE bytes of the value when it is absent from storage (the declared default)
     */
    public record StorageEntry(String name, boolean optional, long valueType, byte[] fallback) {}

    public RuntimeMetadata {
        pallets = Map.copyOf(pallets);
        signedExtensions = List.copyOf(signedExtensions);
    }

    /** Whether the runtime declares storage item {@code pallet.item}. */
    public boolean hasStorage(String pallet, String item) {
        Pallet p = pallets.get(pallet);
        return p != null && p.storage().containsKey(item);
    }

    /** Whether the runtime offers call {@code pallet.call}. */
    public boolean hasCall(String pallet, String call) {
        Pallet p = pallets.get(pallet);
        return p != null && p.calls().containsKey(call);
    }

    /** The entry of storage item {@code pallet.item}, or a clear error. */
    public StorageEntry storage(String pallet, String item) {
        Pallet p = pallets.get(pallet);
        if (p == null) {
            throw new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, "the runtime has no pallet " + pallet);
        }
        StorageEntry entry = p.storage().get(item);
        if (entry == null) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    "the runtime's " + pallet + " pallet has no storage item " + item
                            + "; this runtime is not one pretrain4j knows how to read");
        }
        return entry;
    }

    /**
     * The value of a storage item decoded by its declared type: {@code raw} as read from the node, or,
     * when the node holds none, the declared default ({@code ValueQuery}) or empty ({@code OptionQuery}).
     */
    public Optional<Object> value(String pallet, String item, byte[] raw, String source) {
        StorageEntry entry = storage(pallet, item);
        if (raw == null) {
            return entry.optional()
                    ? Optional.empty()
                    : Optional.of(
                            types.decode(entry.fallback(), entry.valueType(), source + " (the runtime's default)"));
        }
        return Optional.of(types.decode(raw, entry.valueType(), source));
    }

    /** The {@code pallet.call} index pair, or a clear error. */
    public int[] call(String pallet, String call) {
        Pallet p = pallets.get(pallet);
        if (p == null) {
            throw new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, "the runtime has no pallet " + pallet);
        }
        Integer index = p.calls().get(call);
        if (index == null) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    "the runtime's " + pallet + " pallet has no call " + call + " (it has "
                            + p.calls().keySet() + ")");
        }
        return new int[] {p.index(), index};
    }

    /** Decodes {@code state_getMetadata}'s bytes. */
    public static RuntimeMetadata decode(byte[] bytes) {
        Scale.Reader in = new Scale.Reader(bytes, "runtime metadata");
        if (bytes.length < 5 || (int) in.u32() != MAGIC) {
            throw in.malformed("it does not start with the 'meta' magic");
        }
        int version = in.u8();
        if (version != 14) {
            throw in.malformed("metadata version " + version + " is not supported (V14 is)");
        }
        Map<Long, TypeRegistry.Type> registry = new HashMap<>();
        int types = in.count(3, "type registry");
        for (int t = 0; t < types; t++) {
            long id = in.compact();
            List<String> path = strings(in);
            int params = in.count(2, "type parameters");
            for (int p = 0; p < params; p++) {
                in.string();
                option(in, () -> in.compact());
            }
            int tag = in.u8();
            TypeRegistry.Def def = switch (tag) {
                case 0 -> new TypeRegistry.CompositeDef(fields(in));
                case 1 -> {
                    List<TypeRegistry.VariantCase> cases = new ArrayList<>();
                    int count = in.count(3, "variants");
                    for (int v = 0; v < count; v++) {
                        String name = in.string();
                        List<TypeRegistry.Field> fields = fields(in);
                        cases.add(new TypeRegistry.VariantCase(name, in.u8(), fields));
                        skipStrings(in);
                    }
                    yield new TypeRegistry.VariantDef(cases);
                }
                case 2 -> new TypeRegistry.SequenceDef(in.compact());
                case 3 -> new TypeRegistry.ArrayDef(in.u32(), in.compact());
                case 4 -> {
                    List<Long> parts = new ArrayList<>();
                    int count = in.count(1, "tuple");
                    for (int i = 0; i < count; i++) {
                        parts.add(in.compact());
                    }
                    yield new TypeRegistry.TupleDef(parts);
                }
                case 5 -> new TypeRegistry.PrimitiveDef(in.u8());
                case 6 -> new TypeRegistry.CompactDef(in.compact());
                case 7 -> new TypeRegistry.BitSequenceDef(in.compact(), in.compact());
                default -> throw in.malformed("unknown type definition " + tag + " for type " + id);
            };
            skipStrings(in);
            registry.put(id, new TypeRegistry.Type(id, path, def));
        }
        TypeRegistry typeRegistry = new TypeRegistry(registry);
        Map<String, Pallet> pallets = new LinkedHashMap<>();
        int palletCount = in.count(4, "pallets");
        for (int p = 0; p < palletCount; p++) {
            String name = in.string();
            Map<String, StorageEntry> storage = new LinkedHashMap<>();
            option(in, () -> {
                in.string();
                int entries = in.count(4, "storage entries");
                for (int e = 0; e < entries; e++) {
                    String item = in.string();
                    int modifier = in.u8();
                    if (modifier > 1) {
                        throw in.malformed(
                                "storage entry " + name + "." + item + " has modifier " + modifier + " (0 or 1)");
                    }
                    int kind = in.u8();
                    long valueType;
                    if (kind == 0) {
                        valueType = in.compact();
                    } else if (kind == 1) {
                        int count = in.count(1, "hashers");
                        in.bytes(count); // the key hashers: keys are built by StorageKeys
                        in.compact();
                        valueType = in.compact();
                    } else {
                        throw in.malformed("unknown storage entry type " + kind);
                    }
                    byte[] fallback = in.vec();
                    skipStrings(in);
                    storage.put(item, new StorageEntry(item, modifier == 0, valueType, fallback));
                }
                return null;
            });
            Optional<Long> calls = option(in, in::compact);
            option(in, in::compact);
            int constants = in.count(4, "constants");
            for (int c = 0; c < constants; c++) {
                in.string();
                in.compact();
                in.vec();
                skipStrings(in);
            }
            option(in, in::compact);
            int index = in.u8();
            pallets.put(
                    name,
                    new Pallet(
                            index,
                            calls.map(id -> callIndices(typeRegistry, id)).orElse(Map.of()),
                            storage));
        }
        in.compact();
        int extrinsicVersion = in.u8();
        List<String> extensions = new ArrayList<>();
        int count = in.count(3, "signed extensions");
        for (int i = 0; i < count; i++) {
            extensions.add(in.string());
            in.compact();
            in.compact();
        }
        return new RuntimeMetadata(pallets, extrinsicVersion, extensions, typeRegistry);
    }

    private static Map<String, Integer> callIndices(TypeRegistry registry, long id) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        if (registry.type(id).def() instanceof TypeRegistry.VariantDef variants) {
            variants.variants().forEach(v -> byName.put(v.name(), v.index()));
        }
        return byName;
    }

    private static List<TypeRegistry.Field> fields(Scale.Reader in) {
        List<TypeRegistry.Field> fields = new ArrayList<>();
        int count = in.count(2, "fields");
        for (int f = 0; f < count; f++) {
            String name = option(in, in::string).orElse(null);
            long type = in.compact();
            option(in, in::string);
            skipStrings(in);
            fields.add(new TypeRegistry.Field(name, type));
        }
        return fields;
    }

    private static List<String> strings(Scale.Reader in) {
        List<String> out = new ArrayList<>();
        int count = in.count(1, "strings");
        for (int i = 0; i < count; i++) {
            out.add(in.string());
        }
        return out;
    }

    private static void skipStrings(Scale.Reader in) {
        int count = in.count(1, "strings");
        for (int i = 0; i < count; i++) {
            in.vec();
        }
    }

    private static <T> Optional<T> option(Scale.Reader in, Supplier<T> read) {
        int flag = in.u8();
        if (flag == 0) {
            return Optional.empty();
        }
        if (flag != 1) {
            throw in.malformed("an Option is 0 or 1, got " + flag);
        }
        return Optional.ofNullable(read.get());
    }
}
