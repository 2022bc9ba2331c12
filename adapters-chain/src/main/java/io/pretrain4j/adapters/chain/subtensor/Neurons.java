package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.ports.chain.Neuron;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Decodes {@code Vec<NeuronInfoLite<AccountId32>>} (field order of subtensor's rpc_info/neuron_info.rs). */
final class Neurons {
    private Neurons() {}

    static List<Neuron> decode(byte[] raw, String source) {
        Scale.Reader in = new Scale.Reader(raw, source);
        int count = in.count(100, "neurons");
        List<Neuron> neurons = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] hotkey = in.bytes(32);
            byte[] coldkey = in.bytes(32);
            int uid = (int) in.compact();
            in.compact();
            in.bool();
            in.u64();
            in.u32();
            in.u128();
            in.u16();
            in.u8();
            in.u8();
            in.u8();
            in.u8();
            in.u64();
            in.u32();
            in.u128();
            in.u16();
            in.u8();
            int stakes = in.count(33, "stake entries");
            long stake = 0;
            for (int s = 0; s < stakes; s++) {
                in.bytes(32);
                stake = Math.addExact(stake, in.compact());
            }
            for (int f = 0; f < 7; f++) {
                in.compact();
            }
            long lastUpdate = in.compact();
            boolean permit = in.bool();
            in.compact();
            neurons.add(new Neuron(uid, Ss58.encode(hotkey), Ss58.encode(coldkey), stake, permit, lastUpdate));
        }
        if (!in.atEnd()) {
            throw in.malformed(in.remaining() + " bytes after " + count + " neurons");
        }
        neurons.sort(Comparator.comparingInt(Neuron::uid));
        return neurons;
    }
}
