package io.pretrain4j.adapters.chain.subtensor;

import java.util.List;
import java.util.Map;

/** Writes V14 runtime metadata for the fake node: a small type registry using every type definition, three pallets, the extensions. */
final class MetadataWriter {
    private MetadataWriter() {}

    static byte[] v14(Map<String, Integer> subtensorCalls, Map<String, Integer> commitmentCalls, List<String> extensions) {
        Scale.Writer w = new Scale.Writer().u32(0x6174656d).u8(14);
        w.compact(9);
        // 0: u16 primitive, with a path and a type parameter
        type(w, 0, List.of("primitive"), true).u8(5).u8(4);
        w.compact(0);
        // 1: SubtensorModule's call enum
        variantType(w, 1, subtensorCalls);
        // 2: Commitments' call enum
        variantType(w, 2, commitmentCalls);
        // 3: a composite with a named and an unnamed field
        type(w, 3, List.of("sp_core", "H256"), false).u8(0).compact(2);
        field(w, "inner", 6);
        field(w, null, 0);
        w.compact(1).string("a composite");
        // 4: sequence of u16; 5: array [u8; 32]; 6: tuple (u16, u16); 7: compact u16; 8: bit sequence
        type(w, 4, List.of(), false).u8(2).compact(0);
        w.compact(0);
        type(w, 5, List.of(), false).u8(3).u32(32).compact(0);
        w.compact(0);
        type(w, 6, List.of(), false).u8(4).compact(2).compact(0).compact(0);
        w.compact(0);
        type(w, 7, List.of(), false).u8(6).compact(0);
        w.compact(0);
        type(w, 8, List.of("bitvec"), false).u8(7).compact(0).compact(0);
        w.compact(0);
        // pallets
        w.compact(3);
        pallet(w, "System", 0, null, true);
        pallet(w, "SubtensorModule", 7, 1, false);
        pallet(w, "Commitments", 18, 2, false);
        // extrinsic
        w.compact(3).u8(4).compact(extensions.size());
        for (String extension : extensions) {
            w.string(extension).compact(0).compact(0);
        }
        w.compact(0);
        return w.toByteArray();
    }

    private static Scale.Writer type(Scale.Writer w, int id, List<String> path, boolean withParameter) {
        w.compact(id).compact(path.size());
        path.forEach(w::string);
        if (withParameter) {
            w.compact(1).string("T").u8(1).compact(0);
        } else {
            w.compact(0);
        }
        return w;
    }

    private static void variantType(Scale.Writer w, int id, Map<String, Integer> calls) {
        type(w, id, List.of("pallet", "Call"), false).u8(1).compact(calls.size());
        calls.forEach((name, index) -> {
            w.string(name).compact(1);
            field(w, "netuid", 0);
            w.u8(index).compact(1).string("docs of " + name);
        });
        w.compact(0);
    }

    private static void field(Scale.Writer w, String name, int type) {
        if (name == null) {
            w.u8(0);
        } else {
            w.u8(1).string(name);
        }
        w.compact(type).u8(1).string("u16").compact(0);
    }

    private static void pallet(Scale.Writer w, String name, int index, Integer callType, boolean storage) {
        w.string(name);
        if (storage) {
            w.u8(1).string(name).compact(2);
            w.string("Number").u8(0).u8(0).compact(0).vec(new byte[] {0, 0}).compact(0);
            w.string("Account").u8(1).u8(1).compact(1).u8(2).compact(5).compact(3).vec(new byte[0]).compact(1).string("accounts");
        } else {
            w.u8(0);
        }
        if (callType == null) {
            w.u8(0);
        } else {
            w.u8(1).compact(callType);
        }
        w.u8(0);
        w.compact(1).string("SomeConstant").compact(0).vec(new byte[] {1, 0}).compact(0);
        w.u8(0);
        w.u8(index);
    }
}
