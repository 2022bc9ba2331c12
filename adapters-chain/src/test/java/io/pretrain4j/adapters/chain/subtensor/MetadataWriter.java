package io.pretrain4j.adapters.chain.subtensor;

import java.util.List;
import java.util.Map;

/**
 * Writes V14 runtime metadata for the fake node. Its type registry declares the storage items the
 * adapter reads with the types subtensor's pallets give them (subtensor {@code pallets/subtensor/src/lib.rs},
 * {@code pallets/commitments/src/{lib,types}.rs}): {@code Weights: Vec<(u16, u16)>}, {@code LastUpdate: Vec<u64>},
 * {@code CommitmentOf: Registration { deposit, block, info: CommitmentInfo { fields: BoundedVec<Data> } }}
 * with {@code Data}'s 134 variants, and so on, with their defaults; it also uses every kind of type
 * definition (compact, bit sequence, a type parameter, docs) so the decoder is exercised on all of them.
 * The bytes are written here field by field, not with the adapter's metadata reader.
 */
final class MetadataWriter {
    private MetadataWriter() {}

    // type ids
    static final int U8 = 0;
    static final int U16 = 1;
    static final int U32 = 2;
    static final int U64 = 3;
    static final int U128 = 4;
    static final int BOOL = 5;
    static final int BYTES32 = 6;
    static final int ACCOUNT_ID = 7;
    static final int U16_PAIR = 8;
    static final int WEIGHTS = 9;
    static final int VEC_U64 = 10;
    static final int VEC_BOOL = 11;
    static final int DATA = 12;
    static final int BOUNDED_DATA = 13;
    static final int VEC_DATA = 14;
    static final int COMMITMENT_INFO = 15;
    static final int REGISTRATION = 16;
    static final int SUBTENSOR_CALL = 17;
    static final int COMMITMENTS_CALL = 18;
    static final int COMPACT_U16 = 19;
    static final int BIT_SEQUENCE = 20;
    static final int LSB0 = 21;
    static final int NETUID = 22;
    static final int VEC_U8 = 23;
    static final int HASH_COMMIT = 24; // (H256, u64 commit_epoch, u64 commit_block, u64)
    static final int HASH_COMMITS = 25; // VecDeque<HASH_COMMIT>
    static final int TLOCK_COMMIT = 26; // (AccountId32, u64 commit_block, BoundedVec<u8, 5000>, u64 reveal_round)
    static final int TLOCK_COMMITS = 27; // VecDeque<TLOCK_COMMIT>
    static final int U16_ACCOUNT = 28; // key (netuid_index, hotkey)
    static final int U16_U64 = 29; // key (netuid_index, epoch)
    static final int RAW_ARRAYS = 100; // [u8; n] for n = 0..128 at 100 + n

    // hashers (frame_metadata::StorageHasher)
    private static final int BLAKE2_128_CONCAT = 2;
    private static final int TWOX64_CONCAT = 5;
    private static final int IDENTITY = 6;

    /** Metadata as the fake's runtime describes itself; {@code CommitRevealWeightsEnabled} defaults to false (as in specs 219, 224). */
    static byte[] v14(
            Map<String, Integer> subtensorCalls, Map<String, Integer> commitmentCalls, List<String> extensions) {
        return v14(subtensorCalls, commitmentCalls, extensions, false);
    }

    static byte[] v14(
            Map<String, Integer> subtensorCalls,
            Map<String, Integer> commitmentCalls,
            List<String> extensions,
            boolean commitRevealDefault) {
        return v14(subtensorCalls, commitmentCalls, extensions, commitRevealDefault, true);
    }

    /**
     * @param statefulEpochs whether the runtime declares {@code SubnetEpochIndex} (subtensor spec 423 on);
     *     without it the epoch is the legacy {@code (block + netuid + 1) / (tempo + 1)}
     */
    static byte[] v14(
            Map<String, Integer> subtensorCalls,
            Map<String, Integer> commitmentCalls,
            List<String> extensions,
            boolean commitRevealDefault,
            boolean statefulEpochs) {
        NodeCodec.Out w = new NodeCodec.Out().u32(0x6174656d).u8(14);
        w.compact(30 + 129);
        primitive(w, U8, 3);
        primitive(w, U16, 4);
        primitive(w, U32, 5);
        primitive(w, U64, 6);
        primitive(w, U128, 7);
        primitive(w, BOOL, 0);
        header(w, BYTES32, List.of(), false).u8(3).u32(32).compact(U8);
        w.compact(0);
        header(w, ACCOUNT_ID, List.of("sp_core", "crypto", "AccountId32"), false)
                .u8(0)
                .compact(1);
        field(w, null, BYTES32, "[u8; 32]");
        w.compact(1).string("An opaque 32-byte cryptographic identifier.");
        header(w, U16_PAIR, List.of(), false).u8(4).compact(2).compact(U16).compact(U16);
        w.compact(0);
        header(w, WEIGHTS, List.of(), false).u8(2).compact(U16_PAIR);
        w.compact(0);
        header(w, VEC_U64, List.of(), false).u8(2).compact(U64);
        w.compact(0);
        header(w, VEC_BOOL, List.of(), false).u8(2).compact(BOOL);
        w.compact(0);
        // Data: None, Raw0..Raw128 (index = length + 1), BlakeTwo256, Sha256, Keccak256, ShaThree256
        header(w, DATA, List.of("pallet_commitments", "types", "Data"), false)
                .u8(1)
                .compact(1 + 129 + 4);
        w.string("None").compact(0).u8(0).compact(0);
        for (int n = 0; n <= 128; n++) {
            w.string("Raw" + n).compact(1);
            field(w, null, RAW_ARRAYS + n, "[u8; " + n + "]");
            w.u8(n + 1).compact(0);
        }
        String[] hashes = {"BlakeTwo256", "Sha256", "Keccak256", "ShaThree256"};
        for (int i = 0; i < hashes.length; i++) {
            w.string(hashes[i]).compact(1);
            field(w, null, BYTES32, "[u8; 32]");
            w.u8(130 + i).compact(1).string("Only the " + hashes[i] + " hash of the data is stored.");
        }
        w.compact(1).string("Either underlying data blob if it is at most 128 bytes, or a hash of it.");
        header(w, BOUNDED_DATA, List.of("bounded_collections", "bounded_vec", "BoundedVec"), true)
                .u8(0)
                .compact(1);
        field(w, null, VEC_DATA, "Vec<T>");
        w.compact(0);
        header(w, VEC_DATA, List.of(), false).u8(2).compact(DATA);
        w.compact(0);
        header(w, COMMITMENT_INFO, List.of("pallet_commitments", "types", "CommitmentInfo"), false)
                .u8(0)
                .compact(1);
        field(w, "fields", BOUNDED_DATA, "BoundedVec<Data, FieldLimit>");
        w.compact(0);
        header(w, REGISTRATION, List.of("pallet_commitments", "types", "Registration"), false)
                .u8(0)
                .compact(3);
        field(w, "deposit", U64, "Balance");
        field(w, "block", U32, "BlockNumber");
        field(w, "info", COMMITMENT_INFO, "CommitmentInfo<FieldLimit>");
        w.compact(0);
        variantType(w, SUBTENSOR_CALL, subtensorCalls);
        variantType(w, COMMITMENTS_CALL, commitmentCalls);
        header(w, COMPACT_U16, List.of(), false).u8(6).compact(U16);
        w.compact(0);
        header(w, BIT_SEQUENCE, List.of(), false).u8(7).compact(U8).compact(LSB0);
        w.compact(0);
        header(w, LSB0, List.of("bitvec", "order", "Lsb0"), false).u8(0).compact(0);
        w.compact(0);
        header(w, NETUID, List.of("subtensor_runtime_common", "NetUid"), false)
                .u8(0)
                .compact(1);
        field(w, null, U16, "u16");
        w.compact(0);
        header(w, VEC_U8, List.of(), false).u8(2).compact(U8);
        w.compact(0);
        header(w, HASH_COMMIT, List.of(), false)
                .u8(4)
                .compact(4)
                .compact(BYTES32)
                .compact(U64)
                .compact(U64)
                .compact(U64);
        w.compact(0);
        header(w, HASH_COMMITS, List.of(), false).u8(2).compact(HASH_COMMIT);
        w.compact(0);
        header(w, TLOCK_COMMIT, List.of(), false)
                .u8(4)
                .compact(4)
                .compact(ACCOUNT_ID)
                .compact(U64)
                .compact(VEC_U8)
                .compact(U64);
        w.compact(0);
        header(w, TLOCK_COMMITS, List.of(), false).u8(2).compact(TLOCK_COMMIT);
        w.compact(0);
        header(w, U16_ACCOUNT, List.of(), false).u8(4).compact(2).compact(U16).compact(ACCOUNT_ID);
        w.compact(0);
        header(w, U16_U64, List.of(), false).u8(4).compact(2).compact(U16).compact(U64);
        w.compact(0);
        for (int n = 0; n <= 128; n++) {
            header(w, RAW_ARRAYS + n, List.of(), false).u8(3).u32(n).compact(U8);
            w.compact(0);
        }
        // pallets
        w.compact(4);
        pallet(
                w,
                "System",
                0,
                null,
                List.of(map("Account", true, List.of(BLAKE2_128_CONCAT), ACCOUNT_ID, U128, new byte[16])));
        byte[] rateLimit100 = new NodeCodec.Out().u64(100).toByteArray();
        java.util.List<Entry> subtensor = new java.util.ArrayList<>(List.of(
                map("Weights", false, List.of(IDENTITY, IDENTITY), U16_PAIR, WEIGHTS, new byte[] {0}),
                map("Uids", true, List.of(IDENTITY, BLAKE2_128_CONCAT), U16_PAIR, U16, new byte[0]),
                map("Keys", false, List.of(IDENTITY, IDENTITY), U16_PAIR, ACCOUNT_ID, new byte[32]),
                map("LastUpdate", false, List.of(IDENTITY), NETUID, VEC_U64, new byte[] {0}),
                map("ValidatorPermit", false, List.of(IDENTITY), NETUID, VEC_BOOL, new byte[] {0}),
                map("SubnetworkN", false, List.of(IDENTITY), NETUID, U16, new byte[2]),
                map("WeightsVersionKey", false, List.of(IDENTITY), NETUID, U64, new byte[8]),
                map("WeightsSetRateLimit", false, List.of(IDENTITY), NETUID, U64, rateLimit100),
                map("CommitRevealWeightsEnabled", false, List.of(IDENTITY), NETUID, BOOL, new byte[] {
                    (byte) (commitRevealDefault ? 1 : 0)
                }),
                plain("CommitRevealWeightsVersion", false, U16, new byte[] {4, 0}),
                map(
                        "RevealPeriodEpochs",
                        false,
                        List.of(TWOX64_CONCAT),
                        NETUID,
                        U64,
                        new NodeCodec.Out().u64(1).toByteArray()),
                map(
                        "Tempo",
                        false,
                        List.of(IDENTITY),
                        NETUID,
                        U16,
                        new NodeCodec.Out().u16(360).toByteArray()),
                map("LastEpochBlock", false, List.of(IDENTITY), NETUID, U64, new byte[8]),
                map("PendingEpochAt", false, List.of(IDENTITY), NETUID, U64, new byte[8]),
                map("BlocksSinceLastStep", false, List.of(IDENTITY), NETUID, U64, new byte[8]),
                map(
                        "WeightCommits",
                        true,
                        List.of(TWOX64_CONCAT, TWOX64_CONCAT),
                        U16_ACCOUNT,
                        HASH_COMMITS,
                        new byte[0]),
                map(
                        "TimelockedWeightCommits",
                        false,
                        List.of(TWOX64_CONCAT, TWOX64_CONCAT),
                        U16_U64,
                        TLOCK_COMMITS,
                        new byte[] {0}),
                plain("BondsBits", true, BIT_SEQUENCE, new byte[0]),
                plain("SomeCompact", false, COMPACT_U16, new byte[] {0})));
        if (statefulEpochs) {
            subtensor.add(map("SubnetEpochIndex", false, List.of(IDENTITY), NETUID, U64, new byte[8]));
        }
        pallet(w, "SubtensorModule", 7, SUBTENSOR_CALL, subtensor);
        pallet(
                w,
                "Commitments",
                18,
                COMMITMENTS_CALL,
                List.of(
                        map(
                                "CommitmentOf",
                                true,
                                List.of(IDENTITY, TWOX64_CONCAT),
                                U16_PAIR,
                                REGISTRATION,
                                new byte[0]),
                        map("LastCommitment", true, List.of(IDENTITY, TWOX64_CONCAT), U16_PAIR, U32, new byte[0]),
                        plain(
                                "RateLimit",
                                false,
                                U32,
                                new NodeCodec.Out().u32(100).toByteArray())));
        pallet(w, "Drand", 26, null, List.of(plain("LastStoredRound", false, U64, new byte[8])));
        // extrinsic
        w.compact(SUBTENSOR_CALL).u8(4).compact(extensions.size());
        for (String extension : extensions) {
            w.string(extension).compact(0).compact(0);
        }
        w.compact(0);
        return w.toByteArray();
    }

    private record Entry(String name, boolean optional, List<Integer> hashers, int key, int value, byte[] fallback) {}

    private static Entry map(
            String name, boolean optional, List<Integer> hashers, int key, int value, byte[] fallback) {
        return new Entry(name, optional, hashers, key, value, fallback);
    }

    private static Entry plain(String name, boolean optional, int value, byte[] fallback) {
        return new Entry(name, optional, null, -1, value, fallback);
    }

    private static void primitive(NodeCodec.Out w, int id, int kind) {
        header(w, id, List.of(), false).u8(5).u8(kind);
        w.compact(0);
    }

    private static NodeCodec.Out header(NodeCodec.Out w, int id, List<String> path, boolean withParameter) {
        w.compact(id).compact(path.size());
        path.forEach(w::string);
        if (withParameter) {
            w.compact(1).string("T").u8(1).compact(DATA);
        } else {
            w.compact(0);
        }
        return w;
    }

    private static void variantType(NodeCodec.Out w, int id, Map<String, Integer> calls) {
        header(w, id, List.of("pallet", "Call"), false).u8(1).compact(calls.size());
        calls.forEach((name, index) -> {
            w.string(name).compact(1);
            field(w, "netuid", U16, "u16");
            w.u8(index).compact(1).string("docs of " + name);
        });
        w.compact(0);
    }

    private static void field(NodeCodec.Out w, String name, int type, String typeName) {
        if (name == null) {
            w.u8(0);
        } else {
            w.u8(1).string(name);
        }
        w.compact(type).u8(1).string(typeName).compact(0);
    }

    private static void pallet(NodeCodec.Out w, String name, int index, Integer callType, List<Entry> entries) {
        w.string(name);
        w.u8(1).string(name).compact(entries.size());
        for (Entry e : entries) {
            w.string(e.name()).u8(e.optional() ? 0 : 1);
            if (e.hashers() == null) {
                w.u8(0).compact(e.value());
            } else {
                w.u8(1).compact(e.hashers().size());
                e.hashers().forEach(w::u8);
                w.compact(e.key()).compact(e.value());
            }
            w.vec(e.fallback()).compact(1).string("docs of " + e.name());
        }
        if (callType == null) {
            w.u8(0);
        } else {
            w.u8(1).compact(callType);
        }
        w.u8(0);
        w.compact(1).string("SomeConstant").compact(U16).vec(new byte[] {1, 0}).compact(0);
        w.u8(0);
        w.u8(index);
    }
}
