package io.pretrain4j.adapters.chain.subtensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subnet's reads for {@link SubtensorChain}: the metagraph through the runtime API, every commitment
 * through paged storage keys at one head, a validator's weights, uids and per-uid vectors.
 */
final class SubnetReads {
    private static final int PAGE = 100;

    private final JsonRpcClient rpc;
    private final NodeReplies replies;
    private final RuntimeTracker runtimes;
    private final int netuid;

    SubnetReads(JsonRpcClient rpc, NodeReplies replies, RuntimeTracker runtimes, int netuid) {
        this.rpc = rpc;
        this.replies = replies;
        this.runtimes = runtimes;
        this.netuid = netuid;
    }

    /** The subnet's neurons at the head ({@code NeuronInfoRuntimeApi_get_neurons_lite}, either encoding). */
    Metagraph metagraph() {
        String head = replies.head();
        long block = replies.blockNumber(rpc.call("chain_getHeader", head));
        byte[] raw = replies.hex(
                rpc.call(
                        "state_call",
                        "NeuronInfoRuntimeApi_get_neurons_lite",
                        "0x" + HexFormat.of().formatHex(CommitStorage.u16(netuid)),
                        head),
                "NeuronInfoRuntimeApi_get_neurons_lite");
        List<Neuron> neurons;
        try {
            neurons = Neurons.decode(raw, "neurons_lite");
        } catch (Pretrain4jException typed) {
            // runtimes of late 2023 returned the same vector wrapped in a Vec<u8>
            try {
                Scale.Reader outer = new Scale.Reader(raw, "neurons_lite (Vec<u8> form)");
                byte[] inner = outer.vec();
                if (!outer.atEnd()) {
                    throw outer.malformed(outer.remaining() + " bytes after the vector");
                }
                neurons = Neurons.decode(inner, "neurons_lite (Vec<u8> form)");
            } catch (Pretrain4jException wrapped) {
                throw replies.unavailable("cannot decode NeuronInfoRuntimeApi_get_neurons_lite for netuid " + netuid
                        + " as either form: " + typed.getMessage() + "; " + wrapped.getMessage());
            }
        }
        return new Metagraph(netuid, block, neurons);
    }

    /** Every commitment of the subnet, read page by page at one head; one that cannot be read is marked so. */
    Map<String, Commitment> commitments() {
        byte[] prefix =
                StorageKeys.concat(StorageKeys.prefix("Commitments", "CommitmentOf"), CommitStorage.u16(netuid));
        RuntimeMetadata metadata = runtimes.known().metadata();
        String head = replies.head();
        Map<String, Commitment> all = new LinkedHashMap<>();
        String start = null;
        while (true) {
            JsonNode keys = rpc.call("state_getKeysPaged", "0x" + HexFormat.of().formatHex(prefix), PAGE, start, head);
            if (keys == null || !keys.isArray()) {
                throw replies.unavailable(
                        "state_getKeysPaged returned " + NodeReplies.abbreviate(keys) + " instead of a list of keys");
            }
            if (keys.isEmpty()) {
                break;
            }
            List<String> page = new ArrayList<>();
            keys.forEach(k -> page.add(k.asText()));
            JsonNode changes = rpc.call("state_queryStorageAt", page, head);
            if (changes == null || !changes.isArray() || changes.isEmpty()) {
                throw replies.unavailable("state_queryStorageAt returned " + NodeReplies.abbreviate(changes));
            }
            for (JsonNode change : changes.get(0).path("changes")) {
                byte[] key = replies.hex(change.get(0), "a CommitmentOf key");
                if (change.get(1) == null || change.get(1).isNull()) {
                    continue;
                }
                if (key.length != prefix.length + 8 + 32) {
                    throw replies.unavailable(
                            "a CommitmentOf key has " + key.length + " bytes, not " + (prefix.length + 40));
                }
                String hotkey = Ss58.encode(Arrays.copyOfRange(key, prefix.length + 8, key.length));
                byte[] value;
                try {
                    value = replies.hex(change.get(1), "the commitment of " + hotkey);
                } catch (Pretrain4jException e) {
                    all.put(hotkey, Commitment.unreadable(hotkey, 0, e.getMessage()));
                    continue;
                }
                all.put(hotkey, CommitmentRecords.decode(metadata, hotkey, value));
            }
            if (keys.size() < PAGE) {
                break;
            }
            start = keys.get(keys.size() - 1).asText();
        }
        return all;
    }

    /** The weights {@code account} set, with the block they were last updated at. */
    Optional<WeightsSet> weights(byte[] account) {
        RuntimeMetadata metadata = runtimes.known().metadata();
        Optional<Integer> uid = uid(metadata, account);
        if (uid.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = replies.storage(StorageKeys.entry(
                "SubtensorModule", "Weights", CommitStorage.u16(netuid), CommitStorage.u16(uid.get())));
        String what = "Weights of uid " + uid.get();
        List<?> pairs = Values.list(
                metadata.value("SubtensorModule", "Weights", raw, what).orElse(List.of()), what);
        int count = pairs.size();
        int[] uids = new int[count];
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            List<?> pair = Values.list(pairs.get(i), what + " entry " + i);
            if (pair.size() != 2) {
                throw replies.unavailable(what + " entry " + i + " has " + pair.size() + " parts, not (uid, weight)");
            }
            uids[i] = (int) Values.integer(pair.get(0), what + " entry " + i + " uid");
            values[i] = (int) Values.integer(pair.get(1), what + " entry " + i + " weight");
        }
        if (count == 0) {
            return Optional.empty();
        }
        long[] lastUpdate = u64Vector(metadata, "LastUpdate");
        return Optional.of(new WeightsSet(uids, values, uid.get() < lastUpdate.length ? lastUpdate[uid.get()] : 0));
    }

    /** The uid of {@code account} on the subnet, if it is registered. */
    Optional<Integer> uid(RuntimeMetadata metadata, byte[] account) {
        byte[] raw = replies.storage(StorageKeys.entry(
                "SubtensorModule", "Uids", CommitStorage.u16(netuid), StorageKeys.blake2128Concat(account)));
        return metadata.value("SubtensorModule", "Uids", raw, "Uids").map(v -> (int) Values.integer(v, "Uids"));
    }

    /** A per-uid u64 vector of the subnet ({@code LastUpdate}, ...). */
    long[] u64Vector(RuntimeMetadata metadata, String item) {
        byte[] raw = replies.storage(StorageKeys.entry("SubtensorModule", item, CommitStorage.u16(netuid)));
        List<?> items =
                Values.list(metadata.value("SubtensorModule", item, raw, item).orElse(List.of()), item);
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Values.integer(items.get(i), item + "[" + i + "]");
        }
        return values;
    }
}
