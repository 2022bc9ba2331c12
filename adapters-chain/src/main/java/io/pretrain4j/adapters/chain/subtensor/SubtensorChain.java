package io.pretrain4j.adapters.chain.subtensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.adapters.chain.keys.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.System.Logger.Level.INFO;

/**
 * The Subtensor chain over JSON-RPC: reads through storage and the {@code NeuronInfoRuntimeApi},
 * writes as signed extrinsics ({@code Commitments.set_commitment}, {@code SubtensorModule.set_weights})
 * watched until they are in a block and then read back. The runtime's version, genesis hash, pallet
 * and call indices and transaction extensions are read at start; an extension set this client does
 * not know, or a subnet with commit-reveal weights, fails with a message instead of a bad transaction.
 */
public final class SubtensorChain implements Chain {
    private static final System.Logger LOG = System.getLogger(SubtensorChain.class.getName());
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_COMMITMENT_BYTES = 128;
    private static final int PAGE = 100;

    private final JsonRpcClient rpc;
    private final int netuid;
    private final int eraPeriod;
    private final Duration inclusionTimeout;
    private final byte[] genesisHash;
    private volatile Runtime runtime;

    /** What a runtime version brings: the versions a signature commits to, and the metadata. */
    private record Runtime(long specVersion, long transactionVersion, String specName, RuntimeMetadata metadata) {}

    public SubtensorChain(JsonRpcClient rpc, int netuid, int eraPeriod, Duration inclusionTimeout) {
        this.rpc = rpc;
        this.netuid = netuid;
        this.eraPeriod = eraPeriod;
        this.inclusionTimeout = inclusionTimeout;
        this.genesisHash = hash32(rpc.call("chain_getBlockHash", 0), "the genesis hash");
        this.runtime = load(rpc.call("state_getRuntimeVersion"));
        LOG.log(INFO, "connected to {0}: runtime {1} (spec {2}, tx {3}), genesis 0x{4}, netuid {5}", rpc.endpoint(),
                runtime.specName(), runtime.specVersion(), runtime.transactionVersion(), HEX.formatHex(genesisHash), netuid);
    }

    /** Reads the metadata of the runtime {@code version} describes and checks that pretrain4j can write to it. */
    private Runtime load(JsonNode version) {
        if (version == null || !version.path("specVersion").canConvertToLong() || !version.path("transactionVersion").canConvertToLong()) {
            throw unavailable("state_getRuntimeVersion returned " + abbreviate(version) + " without specVersion and transactionVersion");
        }
        long specVersion = version.get("specVersion").asLong();
        RuntimeMetadata metadata = RuntimeMetadata.decode(hex(rpc.call("state_getMetadata"), "state_getMetadata"));
        List<String> unknown = Extrinsics.unknown(metadata.signedExtensions());
        if (!unknown.isEmpty()) {
            throw unavailable("the runtime (spec " + specVersion + ") expects transaction extensions this client does not know: " + unknown
                    + " (all: " + metadata.signedExtensions() + "); update pretrain4j before writing to this chain");
        }
        metadata.call("SubtensorModule", "set_weights");
        metadata.call("Commitments", "set_commitment");
        return new Runtime(specVersion, version.get("transactionVersion").asLong(), version.path("specName").asText("?"), metadata);
    }

    /**
     * The runtime now: its version is asked for, and when it differs from the one known (a runtime
     * upgrade, frequent on Bittensor) the metadata is read again, so that call indices, transaction
     * extensions, storage types and the versions a signature commits to follow the upgrade.
     */
    private Runtime currentRuntime() {
        JsonNode version = rpc.call("state_getRuntimeVersion");
        Runtime known = runtime;
        if (version != null && version.path("specVersion").asLong(-1) == known.specVersion()
                && version.path("transactionVersion").asLong(-1) == known.transactionVersion()) {
            return known;
        }
        synchronized (this) {
            if (runtime != known) {
                return runtime;
            }
            Runtime upgraded = load(version);
            LOG.log(INFO, "{0}: the runtime was upgraded from spec {1} (tx {2}) to spec {3} (tx {4}); metadata read again", rpc.endpoint(),
                    known.specVersion(), known.transactionVersion(), upgraded.specVersion(), upgraded.transactionVersion());
            runtime = upgraded;
            return upgraded;
        }
    }

    @Override
    public String id() {
        return "subtensor:" + rpc.endpoint() + "/netuid-" + netuid;
    }

    @Override
    public int netuid() {
        return netuid;
    }

    @Override
    public long currentBlock() {
        return blockNumber(rpc.call("chain_getHeader"));
    }

    @Override
    public String blockHash(long block) {
        JsonNode hash = rpc.call("chain_getBlockHash", block);
        if (hash == null || hash.isNull()) {
            throw new Pretrain4jException(ChainErrorCode.UNKNOWN_BLOCK, "block " + block + " does not exist on " + rpc.endpoint()
                    + " (or is older than the node keeps)");
        }
        return "0x" + HEX.formatHex(hash32(hash, "the hash of block " + block));
    }

    @Override
    public Metagraph metagraph() {
        currentRuntime();
        String head = head();
        long block = blockNumber(rpc.call("chain_getHeader", head));
        byte[] raw = hex(rpc.call("state_call", "NeuronInfoRuntimeApi_get_neurons_lite", "0x" + HEX.formatHex(u16(netuid)), head),
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
                throw unavailable("cannot decode NeuronInfoRuntimeApi_get_neurons_lite for netuid " + netuid + " as either form: "
                        + typed.getMessage() + "; " + wrapped.getMessage());
            }
        }
        return new Metagraph(netuid, block, neurons);
    }

    @Override
    public Optional<Commitment> commitment(String hotkey) {
        byte[] account = account(hotkey);
        byte[] value = storage(StorageKeys.entry("Commitments", "CommitmentOf", u16(netuid), StorageKeys.twox64Concat(account)));
        return value == null ? Optional.empty() : Optional.of(registration(runtime.metadata(), hotkey, value));
    }

    @Override
    public Map<String, Commitment> commitments() {
        byte[] prefix = StorageKeys.concat(StorageKeys.prefix("Commitments", "CommitmentOf"), u16(netuid));
        RuntimeMetadata metadata = currentRuntime().metadata();
        String head = head();
        Map<String, Commitment> all = new LinkedHashMap<>();
        String start = null;
        while (true) {
            JsonNode keys = rpc.call("state_getKeysPaged", "0x" + HEX.formatHex(prefix), PAGE, start, head);
            if (keys == null || !keys.isArray()) {
                throw unavailable("state_getKeysPaged returned " + abbreviate(keys) + " instead of a list of keys");
            }
            if (keys.isEmpty()) {
                break;
            }
            List<String> page = new ArrayList<>();
            keys.forEach(k -> page.add(k.asText()));
            JsonNode changes = rpc.call("state_queryStorageAt", page, head);
            if (changes == null || !changes.isArray() || changes.isEmpty()) {
                throw unavailable("state_queryStorageAt returned " + abbreviate(changes));
            }
            for (JsonNode change : changes.get(0).path("changes")) {
                byte[] key = hex(change.get(0), "a CommitmentOf key");
                if (change.get(1) == null || change.get(1).isNull()) {
                    continue;
                }
                if (key.length != prefix.length + 8 + 32) {
                    throw unavailable("a CommitmentOf key has " + key.length + " bytes, not " + (prefix.length + 40));
                }
                String hotkey = Ss58.encode(java.util.Arrays.copyOfRange(key, prefix.length + 8, key.length));
                byte[] value;
                try {
                    value = hex(change.get(1), "the commitment of " + hotkey);
                } catch (Pretrain4jException e) {
                    all.put(hotkey, Commitment.unreadable(hotkey, 0, e.getMessage()));
                    continue;
                }
                all.put(hotkey, registration(metadata, hotkey, value));
            }
            if (keys.size() < PAGE) {
                break;
            }
            start = keys.get(keys.size() - 1).asText();
        }
        return all;
    }

    @Override
    public Optional<WeightsSet> weights(String hotkey) {
        Optional<Integer> uid = uid(account(hotkey));
        if (uid.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = storage(StorageKeys.entry("SubtensorModule", "Weights", u16(netuid), u16(uid.get())));
        String what = "Weights of uid " + uid.get();
        List<?> pairs = Values.list(runtime.metadata().value("SubtensorModule", "Weights", raw, what).orElse(List.of()), what);
        int count = pairs.size();
        int[] uids = new int[count];
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            List<?> pair = Values.list(pairs.get(i), what + " entry " + i);
            if (pair.size() != 2) {
                throw unavailable(what + " entry " + i + " has " + pair.size() + " parts, not (uid, weight)");
            }
            uids[i] = (int) Values.integer(pair.get(0), what + " entry " + i + " uid");
            values[i] = (int) Values.integer(pair.get(1), what + " entry " + i + " weight");
        }
        if (count == 0) {
            return Optional.empty();
        }
        long[] lastUpdate = u64Vector("LastUpdate");
        return Optional.of(new WeightsSet(uids, values, uid.get() < lastUpdate.length ? lastUpdate[uid.get()] : 0));
    }

    @Override
    public long commit(Hotkey hotkey, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        String who = hotkey.ss58Address();
        if (bytes.length > MAX_COMMITMENT_BYTES) {
            throw new Pretrain4jException(ChainErrorCode.COMMITMENT_TOO_LARGE, "commitment of " + who + " is " + bytes.length
                    + " bytes; the chain takes at most " + MAX_COMMITMENT_BYTES);
        }
        byte[] account = hotkey.publicKey();
        requireRegistered(account, who);
        long current = currentBlock();
        RuntimeMetadata metadata = currentRuntime().metadata();
        Optional<Object> last = metadata.value("Commitments", "LastCommitment",
                storage(StorageKeys.entry("Commitments", "LastCommitment", u16(netuid), StorageKeys.twox64Concat(account))), "LastCommitment");
        Optional<Object> limit = metadata.value("Commitments", "RateLimit", storage(StorageKeys.prefix("Commitments", "RateLimit")), "RateLimit");
        if (last.isPresent() && limit.isPresent()) {
            long lastBlock = Values.integer(last.get(), "LastCommitment");
            long rate = Values.integer(limit.get(), "RateLimit");
            if (current + 1 < lastBlock + rate) {
                throw new Pretrain4jException(ChainErrorCode.RATE_LIMITED, who + " committed at block " + lastBlock
                        + "; the next commitment is allowed from block " + (lastBlock + rate) + " (now " + current + ")");
            }
        }
        int[] index = metadata.call("Commitments", "set_commitment");
        byte[] call = new Scale.Writer().u8(index[0]).u8(index[1]).u16(netuid).compact(1).u8(bytes.length + 1).bytes(bytes).toByteArray();
        long block = submit(call, hotkey, "set_commitment");
        Optional<Commitment> readBack = commitment(who);
        if (readBack.isEmpty() || !readBack.get().data().equals(data) || readBack.get().block() != block) {
            throw unavailable("the commitment of " + who + " was included in block " + block + " but did not take effect (read back: "
                    + readBack.map(c -> c.data() + " at block " + c.block()).orElse("none") + "); the chain refused it on dispatch");
        }
        return block;
    }

    @Override
    public long setWeights(Hotkey hotkey, List<Integer> uids, List<Integer> weights, long versionKey) {
        String who = hotkey.ss58Address();
        if (uids.size() != weights.size() || uids.isEmpty()) {
            throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "got " + uids.size() + " uids and " + weights.size() + " weights");
        }
        RuntimeMetadata metadata = currentRuntime().metadata();
        byte[] commitReveal = storage(StorageKeys.entry("SubtensorModule", "CommitRevealWeightsEnabled", u16(netuid)));
        boolean enabled = metadata.value("SubtensorModule", "CommitRevealWeightsEnabled", commitReveal, "CommitRevealWeightsEnabled")
                .map(v -> Values.bool(v, "CommitRevealWeightsEnabled")).orElse(false);
        if (enabled) {
            throw unavailable("netuid " + netuid + " has commit-reveal weights enabled (CommitRevealWeightsEnabled"
                    + (commitReveal == null ? " is unset, and the runtime's default is true" : " = true") + "); plain set_weights is refused "
                    + "there and timelocked commit-reveal is not implemented by pretrain4j");
        }
        byte[] account = hotkey.publicKey();
        int self = requireRegistered(account, who);
        Metagraph metagraph = metagraph();
        Set<Integer> seen = new HashSet<>();
        long max = 0;
        for (int i = 0; i < uids.size(); i++) {
            int uid = uids.get(i);
            if (!seen.add(uid)) {
                throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "uid " + uid + " appears twice");
            }
            if (metagraph.neurons().stream().noneMatch(n -> n.uid() == uid)) {
                throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "uid " + uid + " is not registered on netuid " + netuid);
            }
            if (weights.get(i) < 0 || weights.get(i) > 65535) {
                throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "weight " + weights.get(i) + " is not a u16");
            }
            max = Math.max(max, weights.get(i));
        }
        if (max == 0) {
            throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "every weight is zero");
        }
        Neuron me = metagraph.neurons().stream().filter(n -> n.uid() == self).findFirst().orElseThrow();
        if (!me.validatorPermit() && !(uids.size() == 1 && uids.get(0) == self)) {
            throw new Pretrain4jException(ChainErrorCode.NO_VALIDATOR_PERMIT, who + " (uid " + self + ") has no validator permit on netuid "
                    + netuid);
        }
        long required = u64Item(metadata, "WeightsVersionKey");
        if (required != 0 && versionKey < required) {
            throw new Pretrain4jException(ChainErrorCode.VERSION_KEY_TOO_LOW, "version key " + versionKey + " is below the subnet's "
                    + required);
        }
        long rate = u64Item(metadata, "WeightsSetRateLimit");
        long current = metagraph.block();
        if (current + 1 - me.lastUpdate() < rate) {
            throw new Pretrain4jException(ChainErrorCode.RATE_LIMITED, who + " last set weights (or registered) at block " + me.lastUpdate()
                    + "; the next set_weights is allowed from block " + (me.lastUpdate() + rate) + " (now " + current + ")");
        }
        Scale.Writer call = new Scale.Writer();
        int[] index = metadata.call("SubtensorModule", "set_weights");
        call.u8(index[0]).u8(index[1]).u16(netuid).compact(uids.size());
        uids.forEach(call::u16);
        call.compact(weights.size());
        weights.forEach(call::u16);
        call.u64(versionKey);
        long block = submit(call.toByteArray(), hotkey, "set_weights");
        long[] lastUpdate = u64Vector("LastUpdate");
        if (self >= lastUpdate.length || lastUpdate[self] != block) {
            throw unavailable("set_weights of " + who + " was included in block " + block + " but did not take effect; the chain refused it "
                    + "on dispatch");
        }
        return block;
    }

    @Override
    public void close() {
        rpc.close();
    }

    // ---------------------------------------------------------------- submission

    private long submit(byte[] call, Hotkey signer, String what) {
        Runtime now = currentRuntime();
        JsonNode nonceNode = rpc.call("system_accountNextIndex", signer.ss58Address());
        if (nonceNode == null || !nonceNode.canConvertToLong()) {
            throw unavailable("system_accountNextIndex returned " + abbreviate(nonceNode));
        }
        JsonNode header = rpc.call("chain_getHeader");
        long block = blockNumber(header);
        byte[] birth = hash32(rpc.call("chain_getBlockHash", block), "the hash of block " + block);
        Extrinsics.Context context = new Extrinsics.Context(now.specVersion(), now.transactionVersion(), genesisHash,
                Extrinsics.mortalEra(eraPeriod, block), birth, nonceNode.asLong());
        byte[] extrinsic = Extrinsics.signed(call, signer, context, now.metadata().signedExtensions());
        CompletableFuture<String> inBlock = new CompletableFuture<>();
        String subscription = rpc.subscribe("author_submitAndWatchExtrinsic", status -> {
            if (status == null) {
                inBlock.completeExceptionally(unavailable("the connection dropped while " + what + " was pending"));
            } else if (status.has("inBlock")) {
                inBlock.complete(status.get("inBlock").asText());
            } else if (status.has("finalized")) {
                inBlock.complete(status.get("finalized").asText());
            } else if (status.has("invalid") || status.has("dropped") || status.has("usurped") || status.has("finalityTimeout")
                    || status.isTextual() && (status.asText().equals("invalid") || status.asText().equals("dropped"))) {
                inBlock.completeExceptionally(unavailable(what + " by " + signer.ss58Address() + " was not included: " + status));
            }
        }, "0x" + HEX.formatHex(extrinsic));
        try {
            String hash = inBlock.get(inclusionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return blockNumber(rpc.call("chain_getHeader", hash));
        } catch (TimeoutException e) {
            throw unavailable(what + " was not included within " + inclusionTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Pretrain4jException p ? p : unavailable(what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what + " interrupted");
        } finally {
            rpc.forget(subscription);
        }
    }

    // ---------------------------------------------------------------- storage helpers

    private int requireRegistered(byte[] account, String who) {
        return uid(account).orElseThrow(() -> new Pretrain4jException(ChainErrorCode.NOT_REGISTERED, who + " is not registered on netuid "
                + netuid));
    }

    private Optional<Integer> uid(byte[] account) {
        byte[] raw = storage(StorageKeys.entry("SubtensorModule", "Uids", u16(netuid), StorageKeys.blake2128Concat(account)));
        return runtime.metadata().value("SubtensorModule", "Uids", raw, "Uids").map(v -> (int) Values.integer(v, "Uids"));
    }

    private long u64Item(RuntimeMetadata metadata, String item) {
        byte[] raw = storage(StorageKeys.entry("SubtensorModule", item, u16(netuid)));
        return metadata.value("SubtensorModule", item, raw, item).map(v -> Values.integer(v, item)).orElse(0L);
    }

    private long[] u64Vector(String item) {
        byte[] raw = storage(StorageKeys.entry("SubtensorModule", item, u16(netuid)));
        List<?> items = Values.list(runtime.metadata().value("SubtensorModule", item, raw, item).orElse(List.of()), item);
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Values.integer(items.get(i), item + "[" + i + "]");
        }
        return values;
    }

    private byte[] storage(byte[] key) {
        JsonNode value = rpc.call("state_getStorage", "0x" + HEX.formatHex(key));
        return value == null || value.isNull() ? null : hex(value, "storage 0x" + HEX.formatHex(key).substring(0, 16) + "...");
    }

    /**
     * A {@code CommitmentOf} value ({@code Registration { deposit, block, info: CommitmentInfo { fields } }})
     * decoded by the runtime's type. Whatever is wrong with one hotkey's commitment (bytes that do
     * not decode, no fields, a first field that is not {@code Data::Raw}, text that is not UTF-8)
     * makes that commitment unreadable with the reason; it never fails a scan of the subnet.
     */
    private static Commitment registration(RuntimeMetadata metadata, String hotkey, byte[] value) {
        String what = "the commitment of " + hotkey;
        long block = 0;
        try {
            Object registration = metadata.value("Commitments", "CommitmentOf", value, what).orElseThrow();
            block = Values.integer(Values.field(registration, "block", what), what + ": block");
            Object info = Values.field(registration, "info", what);
            List<?> fields = Values.list(Values.field(info, "fields", what), what + ": fields");
            if (fields.isEmpty()) {
                return Commitment.unreadable(hotkey, block, "it has no fields");
            }
            if (!(fields.get(0) instanceof TypeRegistry.Variant data)) {
                return Commitment.unreadable(hotkey, block, "its first field is not a Data value");
            }
            if (!data.name().matches("Raw\\d+")) {
                return Commitment.unreadable(hotkey, block, "its first field is Data::" + data.name() + ", not Data::Raw text");
            }
            byte[] raw = data.values().isEmpty() ? new byte[0] : Values.bytes(data.values().get(0), what);
            if (raw.length > MAX_COMMITMENT_BYTES) {
                return Commitment.unreadable(hotkey, block, "its text has " + raw.length + " bytes, more than " + MAX_COMMITMENT_BYTES);
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw)).toString();
                return new Commitment(hotkey, text, block);
            } catch (CharacterCodingException e) {
                return Commitment.unreadable(hotkey, block, "its " + raw.length + " bytes (0x" + HEX.formatHex(raw, 0, Math.min(raw.length, 24))
                        + (raw.length > 24 ? "..." : "") + ") are not UTF-8 text");
            }
        } catch (Pretrain4jException e) {
            return Commitment.unreadable(hotkey, block, e.getMessage());
        }
    }

    private String head() {
        JsonNode hash = rpc.call("chain_getBlockHash");
        return "0x" + HEX.formatHex(hash32(hash, "the head's hash"));
    }

    private long blockNumber(JsonNode header) {
        if (header == null || !header.path("number").isTextual()) {
            throw unavailable("a header without a number: " + abbreviate(header));
        }
        String number = header.get("number").asText();
        if (!number.matches("0x[0-9a-fA-F]{1,16}")) {
            throw unavailable("block number '" + abbreviate(header.get("number")) + "' is not hex");
        }
        return Long.parseUnsignedLong(number.substring(2), 16);
    }

    private byte[] hash32(JsonNode node, String what) {
        byte[] bytes = hex(node, what);
        if (bytes.length != 32) {
            throw unavailable(what + " has " + bytes.length + " bytes, not 32");
        }
        return bytes;
    }

    private byte[] hex(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw unavailable(what + ": expected a 0x hex string, got " + abbreviate(node));
        }
        String text = node.asText();
        if (!text.startsWith("0x") || text.length() % 2 != 0 || !text.substring(2).matches("[0-9a-fA-F]*")) {
            throw unavailable(what + ": '" + abbreviate(node) + "' is not whole-byte 0x hex (truncated?)");
        }
        return HEX.parseHex(text.substring(2));
    }

    private static byte[] account(String ss58) {
        return Ss58.decode(ss58).orElseThrow(() -> new Pretrain4jException(ChainErrorCode.NOT_REGISTERED, "'"
                + (ss58.length() > 60 ? ss58.substring(0, 60) + "..." : ss58) + "' is not an SS58 address"));
    }

    private static byte[] u16(int value) {
        return new Scale.Writer().u16(value).toByteArray();
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private Pretrain4jException unavailable(String message) {
        return new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, rpc.endpoint() + ": " + message);
    }
}
