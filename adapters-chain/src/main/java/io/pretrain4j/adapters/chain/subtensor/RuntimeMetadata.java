package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What pretrain4j needs from a runtime's metadata (V14, as {@code state_getMetadata} returns it):
 * each pallet's index and the indices of its calls by name, and the transaction extensions the
 * runtime expects in a signed extrinsic. The whole type registry is walked to reach them.
 *
 * @param pallets pallet name to its index and call indices
 * @param extrinsicVersion the extrinsic format version (4)
 * @param signedExtensions the transaction extensions' identifiers, in order
 */
public record RuntimeMetadata(Map<String, Pallet> pallets, int extrinsicVersion, List<String> signedExtensions) {
    private static final int MAGIC = 0x6174656d; // "meta" little-endian

    /**
     * A pallet.
     *
     * @param index its index in {@code construct_runtime}
     * @param calls call name to call index
     */
    public record Pallet(int index, Map<String, Integer> calls) {}

    public RuntimeMetadata {
        pallets = Map.copyOf(pallets);
        signedExtensions = List.copyOf(signedExtensions);
    }

    /** The {@code pallet.call} index pair, or a clear error. */
    public int[] call(String pallet, String call) {
        Pallet p = pallets.get(pallet);
        if (p == null) {
            throw new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, "the runtime has no pallet " + pallet);
        }
        Integer index = p.calls().get(call);
        if (index == null) {
            throw new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, "the runtime's " + pallet + " pallet has no call " + call
                    + " (it has " + p.calls().keySet() + ")");
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
        Map<Long, Map<String, Integer>> variants = new HashMap<>();
        int types = in.count(3, "type registry");
        for (int t = 0; t < types; t++) {
            long id = in.compact();
            skipStrings(in);
            int params = in.count(2, "type parameters");
            for (int p = 0; p < params; p++) {
                in.string();
                option(in, () -> in.compact());
            }
            int tag = in.u8();
            switch (tag) {
                case 0 -> skipFields(in);
                case 1 -> {
                    Map<String, Integer> byName = new LinkedHashMap<>();
                    int count = in.count(3, "variants");
                    for (int v = 0; v < count; v++) {
                        String name = in.string();
                        skipFields(in);
                        byName.put(name, in.u8());
                        skipStrings(in);
                    }
                    variants.put(id, byName);
                }
                case 2, 6 -> in.compact();
                case 3 -> {
                    in.u32();
                    in.compact();
                }
                case 4 -> {
                    int count = in.count(1, "tuple");
                    for (int i = 0; i < count; i++) {
                        in.compact();
                    }
                }
                case 5 -> in.u8();
                case 7 -> {
                    in.compact();
                    in.compact();
                }
                default -> throw in.malformed("unknown type definition " + tag + " for type " + id);
            }
            skipStrings(in);
        }
        Map<String, Pallet> pallets = new LinkedHashMap<>();
        int palletCount = in.count(4, "pallets");
        for (int p = 0; p < palletCount; p++) {
            String name = in.string();
            option(in, () -> {
                in.string();
                int entries = in.count(4, "storage entries");
                for (int e = 0; e < entries; e++) {
                    in.string();
                    in.u8();
                    int kind = in.u8();
                    if (kind == 0) {
                        in.compact();
                    } else if (kind == 1) {
                        int hashers = in.count(1, "hashers");
                        for (int h = 0; h < hashers; h++) {
                            in.u8();
                        }
                        in.compact();
                        in.compact();
                    } else {
                        throw in.malformed("unknown storage entry type " + kind);
                    }
                    in.vec();
                    skipStrings(in);
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
            pallets.put(name, new Pallet(index, calls.map(id -> variants.getOrDefault(id, Map.of())).orElse(Map.of())));
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
        return new RuntimeMetadata(pallets, extrinsicVersion, extensions);
    }

    private static void skipFields(Scale.Reader in) {
        int fields = in.count(2, "fields");
        for (int f = 0; f < fields; f++) {
            option(in, in::string);
            in.compact();
            option(in, in::string);
            skipStrings(in);
        }
    }

    private static void skipStrings(Scale.Reader in) {
        int count = in.count(1, "strings");
        for (int i = 0; i < count; i++) {
            in.vec();
        }
    }

    private static <T> Optional<T> option(Scale.Reader in, java.util.function.Supplier<T> read) {
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
