package io.pretrain4j.adapters.chain.subtensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Subtensor node on 127.0.0.1 for tests, speaking JSON-RPC over a WebSocket. It keeps real
 * state under real storage keys, answers the reads the adapter makes, and for each submitted
 * extrinsic decodes it, VERIFIES its sr25519 signature against the payload it would sign (spec
 * and transaction version, genesis, era birth block, nonce), applies the chain's rules
 * (registration, commitment size and rate limit, permits, version key, weights rate limit,
 * duplicates, unknown uids, commit-reveal) and builds a block. Faults can be queued. Its SCALE, storage
 * keys, SS58 and extrinsic reading are its own ({@link NodeCodec}, on lz4-java's XXH64 and BouncyCastle's
 * BLAKE2b), as is its timelock opener ({@link TimelockOpener}): nothing it encodes or decodes is the adapter's.
 */
final class FakeSubtensorNode implements AutoCloseable {
    static final List<String> EXTENSIONS = List.of(
            "CheckNonZeroSender",
            "CheckSpecVersion",
            "CheckTxVersion",
            "CheckGenesis",
            "CheckMortality",
            "CheckNonce",
            "CheckWeight",
            "ChargeTransactionPaymentWrapper",
            "SudoTransactionExtension",
            "SubtensorTransactionExtension",
            "DrandPriority",
            "CheckMetadataHash");
    static final long SPEC_VERSION = 425;
    static final long TX_VERSION = 1;
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ways the next answer goes wrong. */
    enum Fault {
        TRUNCATED_HEX,
        SHORT_HASH,
        ERROR_OBJECT,
        DROP_SOCKET,
        SILENCE,
        NOT_JSON
    }

    private record Registered(int uid, byte[] hotkey, byte[] coldkey, long stake) {}

    private final int netuid;
    private final LoopbackWebSocketServer server;
    private final List<byte[]> blocks = new ArrayList<>();
    private final List<Registered> neurons = new ArrayList<>();
    private final Map<Integer, Long> lastUpdate = new HashMap<>();
    private final Map<Integer, List<int[]>> weights = new HashMap<>();
    private final Map<String, String> commitments = new HashMap<>();
    private final Map<String, Long> commitmentBlocks = new HashMap<>();
    private final Map<String, Long> nonces = new HashMap<>();
    private final TreeMap<String, byte[]> storage = new TreeMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicLong subscriptions = new AtomicLong();
    private final List<String> extrinsics = new ArrayList<>();
    private List<String> extensions = EXTENSIONS;
    private long versionKey;
    private long weightsRateLimit = 100;
    private long commitRateLimit = 100;
    private Boolean commitReveal;
    private long specVersion = SPEC_VERSION;
    private boolean commitRevealDefault;
    private Map<String, Integer> subtensorCalls = Map.of("set_weights", 0, "serve_axon", 4);
    private final Map<String, byte[]> rawCommitments = new HashMap<>();
    private final Map<Integer, byte[]> rawWeights = new HashMap<>();
    private int maxValidators = 64;
    private boolean oldNeuronsForm;

    // commit-reveal (COMMIT_REVEAL.md): the subnet's epoch state, hash commits, timelocked commits, drand
    private int tempo = 10;
    private long revealPeriod = 1;
    private long commitRevealVersion = 4;
    private boolean statefulEpochs = true;
    private long lastEpochBlock;
    private long pendingEpochAt;
    private long epochIndex;
    private long blocksSinceLastStep;
    private final Map<String, Deque<HashCommit>> hashCommits = new HashMap<>();
    private final TreeMap<Long, List<TimelockCommit>> timelockCommits = new TreeMap<>();
    private final List<String> dispatchErrors = new ArrayList<>();
    private final List<String> reveals = new ArrayList<>();
    private DrandBeacon beacon = DrandBeacon.quicknet();
    private java.util.function.LongUnaryOperator drandRoundAt = block -> 999;
    private long drandStale;

    private record HashCommit(byte[] hash, long epoch, long block) {}

    private record TimelockCommit(byte[] who, long block, byte[] commit, long round) {}

    FakeSubtensorNode(int netuid) throws IOException {
        this.netuid = netuid;
        blocks.add(sha256("genesis"));
        this.server = new LoopbackWebSocketServer(this::onText);
        rebuild();
    }

    URI endpoint() {
        return server.endpoint();
    }

    // ---------------------------------------------------------------- administration

    synchronized int register(byte[] hotkey, long stakeRao) {
        for (Registered r : neurons) {
            if (Arrays.equals(r.hotkey(), hotkey)) {
                neurons.set(r.uid(), new Registered(r.uid(), hotkey, r.coldkey(), stakeRao));
                rebuild();
                return r.uid();
            }
        }
        int uid = neurons.size();
        neurons.add(new Registered(uid, hotkey, hotkey, stakeRao));
        lastUpdate.put(uid, current());
        rebuild();
        return uid;
    }

    synchronized void advance(long count) {
        for (long i = 0; i < count; i++) {
            newBlock();
        }
        rebuild();
    }

    synchronized void versionKey(long key) {
        versionKey = key;
        rebuild();
    }

    /** Sets {@code CommitRevealWeightsEnabled} for the subnet; {@code null} removes the value (the runtime's default applies). */
    synchronized void commitReveal(Boolean enabled) {
        commitReveal = enabled;
        rebuild();
    }

    /** The default of {@code CommitRevealWeightsEnabled} the runtime's metadata declares (false in specs 219 and 224). */
    synchronized void commitRevealDefault(boolean enabled) {
        commitRevealDefault = enabled;
    }

    /**
     * A runtime upgrade: a new spec version and SubtensorModule's call indices; from the next block
     * on, only extrinsics signed for the new spec verify and calls are dispatched by the new indices.
     */
    synchronized void upgradeRuntime(long newSpecVersion, Map<String, Integer> newSubtensorCalls) {
        specVersion = newSpecVersion;
        subtensorCalls = Map.copyOf(newSubtensorCalls);
        newBlock();
        rebuild();
    }

    /** Stores {@code value} as the raw SCALE bytes of the hotkey's {@code CommitmentOf} entry (hostile commitments). */
    synchronized void rawCommitment(byte[] hotkey, byte[] value) {
        rawCommitments.put(NodeCodec.ss58(hotkey), value.clone());
        rebuild();
    }

    /** Stores the raw SCALE bytes of a uid's {@code Weights} entry. */
    synchronized void rawWeights(int uid, byte[] value) {
        rawWeights.put(uid, value.clone());
        rebuild();
    }

    /** The runtime's SubtensorModule calls (name to index), without an upgrade. */
    synchronized void calls(Map<String, Integer> calls) {
        subtensorCalls = Map.copyOf(calls);
    }

    synchronized void weightsRateLimit(long blocks) {
        weightsRateLimit = blocks;
        rebuild();
    }

    /** The subnet's tempo and reveal period (epochs between a commit and its reveal). */
    synchronized void epochs(int newTempo, long newRevealPeriod) {
        tempo = newTempo;
        revealPeriod = newRevealPeriod;
        rebuild();
    }

    /** Whether the runtime has the stateful epoch counter (spec 423 on) or the legacy modulo epochs. */
    synchronized void statefulEpochs(boolean stateful) {
        statefulEpochs = stateful;
    }

    synchronized void commitRevealVersion(long version) {
        commitRevealVersion = version;
        rebuild();
    }

    /**
     * The drand beacon whose pulses the chain stores, and the latest round stored at each block
     * ({@code Drand.LastStoredRound}; the off-chain worker writes pulses up to it).
     */
    synchronized void drand(DrandBeacon newBeacon, java.util.function.LongUnaryOperator latestRoundAtBlock) {
        beacon = newBeacon;
        drandRoundAt = latestRoundAtBlock;
        rebuild();
    }

    /**
     * {@code Drand.LastStoredRound} reads this many rounds behind the pool's until a commit is refused for it (a pulse
     * arriving between a read and a submit).
     */
    synchronized void staleDrandOnce(long rounds) {
        drandStale = rounds;
        rebuild();
    }

    /** Extrinsics that were included but failed on dispatch (name of the error), oldest first. */
    synchronized List<String> dispatchErrors() {
        return List.copyOf(dispatchErrors);
    }

    /** Timelocked commits the chain revealed or dropped, as "applied uid N at block B" or "dropped: why". */
    synchronized List<String> reveals() {
        return List.copyOf(reveals);
    }

    synchronized RevealSchedule.EpochState epochState() {
        return new RevealSchedule.EpochState(lastEpochBlock, pendingEpochAt, epochIndex, blocksSinceLastStep, tempo);
    }

    /** The weights the chain holds for {@code uid}: (uid, value) pairs, or empty. */
    synchronized List<int[]> weightsOf(int uid) {
        return weights.getOrDefault(uid, List.of());
    }

    synchronized void extensions(List<String> list) {
        extensions = List.copyOf(list);
    }

    synchronized void oldNeuronsForm(boolean old) {
        oldNeuronsForm = old;
    }

    synchronized void fault(Fault fault) {
        faults.add(fault);
    }

    synchronized void fragmentInto(int bytes) {
        server.sessions().forEach(s -> s.fragmentInto(bytes));
    }

    synchronized List<String> extrinsics() {
        return List.copyOf(extrinsics);
    }

    long current() {
        return blocks.size() - 1;
    }

    // ---------------------------------------------------------------- JSON-RPC

    private void onText(LoopbackWebSocketServer.Session session, String text) throws IOException {
        JsonNode request = JSON.readTree(text);
        long id = request.path("id").asLong();
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        Fault fault;
        synchronized (this) {
            fault = faults.poll();
        }
        if (fault == Fault.DROP_SOCKET) {
            session.drop();
            return;
        }
        if (fault == Fault.SILENCE) {
            return;
        }
        if (fault == Fault.NOT_JSON) {
            session.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":");
            return;
        }
        if (fault == Fault.ERROR_OBJECT) {
            session.send(error(id, -32603, "Internal error: the fake node was told to fail")
                    .toString());
            return;
        }
        ObjectNode answer;
        List<ObjectNode> notifications = new ArrayList<>();
        synchronized (this) {
            try {
                JsonNode result = answer(method, params, notifications);
                result = apply(fault, result);
                answer = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id);
                answer.set("result", result);
            } catch (RpcError e) {
                answer = error(id, e.code, e.getMessage());
            }
        }
        session.send(answer.toString());
        for (ObjectNode notification : notifications) {
            session.send(notification.toString());
        }
    }

    private JsonNode apply(Fault fault, JsonNode result) {
        if (fault == Fault.TRUNCATED_HEX && result != null && result.isTextual()) {
            String text = result.asText();
            return JSON.getNodeFactory().textNode(text.substring(0, text.length() - 1));
        }
        if (fault == Fault.SHORT_HASH && result != null && result.isTextual()) {
            String text = result.asText();
            return JSON.getNodeFactory().textNode(text.substring(0, text.length() - 2));
        }
        return result;
    }

    private JsonNode answer(String method, JsonNode params, List<ObjectNode> notifications) throws RpcError {
        switch (method) {
            case "chain_getHeader": {
                long number = current();
                if (params.size() > 0 && !params.get(0).isNull()) {
                    number = blockOf(params.get(0).asText());
                }
                return JSON.createObjectNode()
                        .put("number", "0x" + Long.toHexString(number))
                        .put("parentHash", hex(blocks.get((int) Math.max(0, number - 1))));
            }
            case "chain_getBlockHash": {
                long number = params.size() == 0 || params.get(0).isNull()
                        ? current()
                        : params.get(0).asLong();
                return number <= current() ? text(hex(blocks.get((int) number))) : JSON.nullNode();
            }
            case "chain_getFinalizedHead":
                return text(hex(blocks.get((int) current())));
            case "state_getRuntimeVersion":
                return JSON.createObjectNode()
                        .put("specName", "node-subtensor")
                        .put("specVersion", specVersion)
                        .put("transactionVersion", TX_VERSION);
            case "state_getMetadata":
                return text(hex(MetadataWriter.v14(
                        subtensorCalls, Map.of("set_commitment", 0), extensions, commitRevealDefault, statefulEpochs)));
            case "state_getStorage": {
                byte[] value = storage.get(strip(params.get(0).asText()));
                return value == null ? JSON.nullNode() : text(hex(value));
            }
            case "state_getKeysPaged": {
                String prefix = strip(params.get(0).asText());
                int count = params.get(1).asInt();
                String start = params.size() > 2 && !params.get(2).isNull()
                        ? strip(params.get(2).asText())
                        : null;
                ArrayNode keys = JSON.createArrayNode();
                for (String key :
                        (start == null ? storage.tailMap(prefix, true) : storage.tailMap(start, false)).keySet()) {
                    if (!key.startsWith(prefix) || keys.size() >= count) {
                        break;
                    }
                    keys.add("0x" + key);
                }
                return keys;
            }
            case "state_queryStorageAt": {
                ArrayNode changes = JSON.createArrayNode();
                for (JsonNode key : params.get(0)) {
                    byte[] value = storage.get(strip(key.asText()));
                    ArrayNode pair = changes.addArray();
                    pair.add(key.asText());
                    if (value == null) {
                        pair.addNull();
                    } else {
                        pair.add(hex(value));
                    }
                }
                ArrayNode result = JSON.createArrayNode();
                result.addObject()
                        .put("block", hex(blocks.get((int) current())))
                        .set("changes", changes);
                return result;
            }
            case "state_call": {
                String api = params.get(0).asText();
                if (!api.equals("NeuronInfoRuntimeApi_get_neurons_lite")) {
                    throw new RpcError(-32000, "unknown runtime API " + api);
                }
                byte[] neuronsLite = neuronsLite();
                return text(hex(
                        oldNeuronsForm ? new NodeCodec.Out().vec(neuronsLite).toByteArray() : neuronsLite));
            }
            case "system_accountNextIndex":
                return JSON.getNodeFactory()
                        .numberNode(nonces.getOrDefault(params.get(0).asText(), 0L));
            case "author_submitAndWatchExtrinsic": {
                byte[] extrinsic = HEX.parseHex(strip(params.get(0).asText()));
                String subscription = "sub-" + subscriptions.incrementAndGet();
                byte[] block = submit(extrinsic);
                notifications.add(notification(subscription, text("ready")));
                notifications.add(
                        notification(subscription, JSON.createObjectNode().put("inBlock", hex(block))));
                notifications.add(
                        notification(subscription, JSON.createObjectNode().put("finalized", hex(block))));
                return text(subscription);
            }
            default:
                throw new RpcError(-32601, "Method not found: " + method);
        }
    }

    /** Decodes, verifies and applies an extrinsic; returns the new block's hash. Rule violations are invalid transactions. */
    private byte[] submit(byte[] extrinsic) throws RpcError {
        NodeCodec.SignedExtrinsic decoded;
        try {
            decoded = NodeCodec.decodeExtrinsic(extrinsic, extensions);
        } catch (RuntimeException e) {
            throw new RpcError(
                    1002, "Verification Error: Runtime error: Could not decode the extrinsic: " + e.getMessage());
        }
        String who = NodeCodec.ss58(decoded.signer());
        long birth = birth(decoded.era());
        if (decoded.nonce() != nonces.getOrDefault(who, 0L)) {
            throw new RpcError(
                    1010,
                    "Invalid Transaction: Transaction is outdated or in the future (nonce " + decoded.nonce() + ")");
        }
        byte[] additional =
                NodeCodec.additional(specVersion, TX_VERSION, blocks.get(0), blocks.get((int) birth), extensions);
        if (!NodeCodec.verify(decoded, additional)) {
            throw new RpcError(1010, "Invalid Transaction: Transaction has a bad signature");
        }
        NodeCodec.In call = new NodeCodec.In(decoded.call());
        int pallet = call.u8();
        int index = call.u8();
        int callNetuid = call.u16();
        if (callNetuid != netuid) {
            throw new RpcError(1010, "Invalid Transaction: SubnetNotExists");
        }
        Registered signer = neurons.stream()
                .filter(n -> Arrays.equals(n.hotkey(), decoded.signer()))
                .findFirst()
                .orElse(null);
        long block = current() + 1;
        if (pallet == 18 && index == 0) {
            call.compact();
            int tag = call.u8();
            if (tag < 1 || tag > 129) {
                throw new RpcError(1010, "Invalid Transaction: the fake node takes only Data::Raw fields");
            }
            byte[] raw = call.bytes(tag - 1);
            if (signer == null) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: AccountNotAllowedCommit");
            }
            Long last = commitmentBlocks.get(who);
            if (last != null && block < last + commitRateLimit) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: CommitmentSetRateLimitExceeded");
            }
            commitments.put(who, new String(raw, StandardCharsets.UTF_8));
            commitmentBlocks.put(who, block);
        } else if (pallet == 7 && index == subtensorCalls.getOrDefault("set_weights", -1)) {
            int count = (int) call.compact();
            int[] uids = new int[count];
            for (int i = 0; i < count; i++) {
                uids[i] = call.u16();
            }
            int[] values = new int[(int) call.compact()];
            for (int i = 0; i < values.length; i++) {
                values[i] = call.u16();
            }
            long key = call.u64();
            if (commitReveal == null ? commitRevealDefault : commitReveal) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: CommitRevealEnabled");
            }
            if (signer == null) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: HotKeyNotRegisteredInSubNet");
            }
            if (versionKey != 0 && key < versionKey) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: IncorrectWeightVersionKey");
            }
            if (block - lastUpdate.get(signer.uid()) < weightsRateLimit) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: SettingWeightsTooFast");
            }
            if (!permits().contains(signer.uid())) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: NeuronNoValidatorPermit");
            }
            if (uids.length != values.length
                    || Arrays.stream(uids).distinct().count() != uids.length
                    || Arrays.stream(uids).anyMatch(u -> u >= neurons.size())) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: InvalidUid or DuplicateUids");
            }
            int max = Arrays.stream(values).max().orElse(0);
            List<int[]> stored = new ArrayList<>();
            for (int i = 0; i < uids.length; i++) {
                int scaled = (int) Math.round((double) values[i] * 65535 / max);
                if (scaled > 0) {
                    stored.add(new int[] {uids[i], scaled});
                }
            }
            weights.put(signer.uid(), stored);
            lastUpdate.put(signer.uid(), block);
        } else if (pallet == 7
                && (index == subtensorCalls.getOrDefault("commit_timelocked_mechanism_weights", -1)
                        || index == subtensorCalls.getOrDefault("commit_timelocked_weights", -1))) {
            boolean mechanism = index == subtensorCalls.getOrDefault("commit_timelocked_mechanism_weights", -1);
            int mecid = mechanism ? call.u8() : 0;
            byte[] commit = call.vec();
            long round = call.u64();
            int version = call.u16();
            if (!call.atEnd()) {
                throw new RpcError(
                        1002, "Verification Error: Runtime error: Could not decode the call: trailing bytes");
            }
            if (commit.length > 5000) {
                throw new RpcError(
                        1002, "Verification Error: Runtime error: Could not decode the call: BoundedVec over 5000");
            }
            // pool checks (SubtensorTransactionExtension): a round older than the latest stored pulse
            if (round < drandRoundAt.applyAsLong(current())) {
                if (drandStale > 0) { // the pulse the stale read missed is in storage from now on
                    drandStale = 0;
                    rebuild();
                }
                throw new RpcError(1010, "Invalid Transaction: Custom error: 15");
            }
            String failure = mecid != 0
                    ? "MechanismDoesNotExist"
                    : !commitRevealOn()
                            ? "CommitRevealDisabled"
                            : version != commitRevealVersion
                                    ? "IncorrectCommitRevealVersion"
                                    : signer == null
                                            ? "HotKeyNotRegisteredInSubNet"
                                            : block - lastUpdate.get(signer.uid()) < weightsRateLimit
                                                    ? "CommittingWeightsTooFast"
                                                    : unrevealedTimelocked(decoded.signer(), epochOf(block)) >= 10
                                                            ? "TooManyUnrevealedCommits"
                                                            : null;
            if (failure == null) {
                timelockCommits
                        .computeIfAbsent(epochOf(block), e -> new ArrayList<>())
                        .add(new TimelockCommit(decoded.signer(), block, commit, round));
                lastUpdate.put(signer.uid(), block);
            } else {
                dispatchErrors.add(failure);
            }
        } else if (pallet == 7 && index == subtensorCalls.getOrDefault("commit_weights", -1)) {
            byte[] hash = call.bytes(32);
            String failure = !commitRevealOn()
                    ? "CommitRevealDisabled"
                    : signer == null
                            ? "HotKeyNotRegisteredInSubNet"
                            : block - lastUpdate.get(signer.uid()) < weightsRateLimit
                                    ? "CommittingWeightsTooFast"
                                    : hashCommits
                                                            .getOrDefault(who, new ArrayDeque<>())
                                                            .size()
                                                    >= 10
                                            ? "TooManyUnrevealedCommits"
                                            : null;
            if (failure == null) {
                hashCommits
                        .computeIfAbsent(who, k -> new ArrayDeque<>())
                        .add(new HashCommit(hash, epochOf(block), block));
                lastUpdate.put(signer.uid(), block);
            } else {
                dispatchErrors.add(failure);
            }
        } else if (pallet == 7 && index == subtensorCalls.getOrDefault("reveal_weights", -1)) {
            int[] uids = u16s(call);
            int[] values = u16s(call);
            int[] salt = u16s(call);
            long key = call.u64();
            Deque<HashCommit> queued = hashCommits.getOrDefault(who, new ArrayDeque<>());
            // pool checks: 16 no commit, 17 not in the reveal epoch of any queued commit
            if (queued.isEmpty()) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: 16");
            }
            long epoch = epochOf(block);
            if (queued.stream().noneMatch(c -> c.epoch() + revealPeriod == epoch)) {
                throw new RpcError(1010, "Invalid Transaction: Custom error: 17");
            }
            byte[] revealed = commitHash(decoded.signer(), uids, values, salt, key);
            HashCommit match = queued.stream()
                    .filter(c -> Arrays.equals(c.hash(), revealed))
                    .findFirst()
                    .orElse(null);
            if (match == null) {
                dispatchErrors.add("InvalidRevealCommitHashNotMatch");
            } else if (match.epoch() + revealPeriod > epoch) {
                dispatchErrors.add("RevealTooEarly");
            } else if (match.epoch() + revealPeriod < epoch) {
                dispatchErrors.add("ExpiredWeightCommit");
            } else {
                String problem = applyWeights(signer, uids, values, key, block);
                if (problem != null) {
                    dispatchErrors.add(problem);
                } else {
                    // revealing drops this commit and every older one
                    while (!queued.isEmpty() && queued.peekFirst() != match) {
                        queued.pollFirst();
                    }
                    queued.pollFirst();
                }
            }
        } else {
            throw new RpcError(1010, "Invalid Transaction: the fake node does not know call " + pallet + "." + index);
        }
        nonces.merge(who, 1L, Long::sum);
        extrinsics.add(pallet == 18 ? "set_commitment" : callName(index) + "@spec" + specVersion);
        newBlock();
        rebuild();
        return blocks.get((int) current());
    }

    private long birth(byte[] era) throws RpcError {
        if (era.length == 1) {
            return 0;
        }
        int encoded = (era[0] & 0xff) | (era[1] & 0xff) << 8;
        long period = 2L << (encoded % 16);
        long quantize = Math.max(period >> 12, 1);
        long phase = (encoded >> 4) * quantize;
        long current = current();
        long birth = (Math.max(current, phase) - phase) / period * period + phase;
        if (current >= birth + period || birth > current) {
            throw new RpcError(1010, "Invalid Transaction: Transaction has an ancient birth block");
        }
        return birth;
    }

    // ---------------------------------------------------------------- state

    private void newBlock() {
        blocks.add(sha256("block-" + blocks.size() + "-" + Arrays.hashCode(blocks.get(blocks.size() - 1))));
        long block = current();
        // run_coinbase: the stateful epoch counter (spec 423 on), block by block
        blocksSinceLastStep++;
        boolean fires = tempo != 0
                && ((pendingEpochAt > 0 && block >= pendingEpochAt)
                        || blocksSinceLastStep > 50_400
                        || block - lastEpochBlock >= tempo);
        if (fires) {
            lastEpochBlock = block;
            pendingEpochAt = 0;
            epochIndex++;
            blocksSinceLastStep = 0;
        }
        revealTimelocked(block);
    }

    /** The epoch an extrinsic in {@code block} is filed under (the state is that after {@code block - 1}). */
    private long epochOf(long block) {
        if (!statefulEpochs) {
            return (block + netuid + 1) / (tempo + 1L);
        }
        boolean fires = tempo != 0
                && ((pendingEpochAt > 0 && block >= pendingEpochAt)
                        || blocksSinceLastStep + 1 > 50_400
                        || block - lastEpochBlock >= tempo);
        return epochIndex + (fires ? 1 : 0);
    }

    /**
     * block_step's reveal (COMMIT_REVEAL.md 3.6), in the new block: commits filed under epoch
     * {@code E - period} whose round's pulse is stored are decrypted, decoded and applied as their
     * committer; those still lacking a pulse wait for a later block of the epoch; older epochs are dropped.
     */
    private void revealTimelocked(long block) {
        long epoch = statefulEpochs ? epochIndex : (block + netuid + 1) / (tempo + 1L);
        long due = epoch - revealPeriod;
        while (!timelockCommits.isEmpty() && timelockCommits.firstKey() < due) {
            for (TimelockCommit c : timelockCommits.pollFirstEntry().getValue()) {
                reveals.add("dropped: no pulse for round " + c.round() + " during the reveal epoch");
            }
        }
        List<TimelockCommit> queue = timelockCommits.get(due);
        if (queue == null) {
            return;
        }
        long stored = drandRoundAt.applyAsLong(block);
        for (java.util.Iterator<TimelockCommit> it = queue.iterator(); it.hasNext(); ) {
            TimelockCommit c = it.next();
            if (c.round() > stored) {
                continue;
            }
            it.remove();
            byte[] plaintext;
            try {
                // opened with the fake's own code (BouncyCastle's pairing), not the adapter's timelock classes
                plaintext = TimelockOpener.open(c.commit(), beacon.signature(c.round()));
            } catch (Exception e) {
                reveals.add("dropped: " + e.getMessage());
                continue;
            }
            NodeCodec.In payload = new NodeCodec.In(plaintext);
            byte[] hotkey = payload.vec();
            int[] uids = u16s(payload);
            int[] values = u16s(payload);
            long key = payload.u64();
            Registered who = neurons.stream()
                    .filter(n -> Arrays.equals(n.hotkey(), c.who()))
                    .findFirst()
                    .orElse(null);
            if (!Arrays.equals(hotkey, c.who())) {
                reveals.add("dropped: the payload's hotkey is not the committer");
            } else if (who == null) {
                reveals.add("dropped: the committer is not registered");
            } else {
                String problem = applyWeights(who, uids, values, key, block);
                reveals.add(
                        problem == null ? "applied uid " + who.uid() + " at block " + block : "dropped: " + problem);
            }
        }
    }

    /**
     * The set-weights path as a reveal runs it: version key, permit, uids; stores the max-upscaled values. Returns the
     * failure, or null.
     */
    private String applyWeights(Registered signer, int[] uids, int[] values, long key, long block) {
        if (versionKey != 0 && key < versionKey) {
            return "IncorrectWeightVersionKey";
        }
        if (!permits().contains(signer.uid())) {
            return "NeuronNoValidatorPermit";
        }
        if (uids.length != values.length
                || Arrays.stream(uids).distinct().count() != uids.length
                || Arrays.stream(uids).anyMatch(u -> u >= neurons.size())) {
            return "InvalidUid";
        }
        int max = Arrays.stream(values).max().orElse(0);
        List<int[]> stored = new ArrayList<>();
        for (int i = 0; i < uids.length && max > 0; i++) {
            int scaled = (int) Math.round((double) values[i] * 65535 / max);
            if (scaled > 0) {
                stored.add(new int[] {uids[i], scaled});
            }
        }
        weights.put(signer.uid(), stored);
        lastUpdate.put(signer.uid(), block);
        return null;
    }

    private long unrevealedTimelocked(byte[] who, long epoch) {
        return timelockCommits.getOrDefault(epoch, List.of()).stream()
                .filter(c -> Arrays.equals(c.who(), who))
                .count();
    }

    private boolean commitRevealOn() {
        return commitReveal == null ? commitRevealDefault : commitReveal;
    }

    /** subtensor's get_commit_hash, written out here: BLAKE2b-256(account ‖ u16 netuid ‖ uids ‖ values ‖ salt ‖ u64 version). */
    private byte[] commitHash(byte[] account, int[] uids, int[] values, int[] salt, long key) {
        NodeCodec.Out w = new NodeCodec.Out().bytes(account).u16(netuid);
        for (int[] list : List.of(uids, values, salt)) {
            w.compact(list.length);
            Arrays.stream(list).forEach(w::u16);
        }
        return NodeCodec.blake2b(w.u64(key).toByteArray(), 32);
    }

    private static int[] u16s(NodeCodec.In in) {
        int[] out = new int[(int) in.compact()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.u16();
        }
        return out;
    }

    private String callName(int index) {
        return subtensorCalls.entrySet().stream()
                .filter(e -> e.getValue() == index)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("call-" + index);
    }

    private List<Integer> permits() {
        return neurons.stream()
                .filter(n -> n.stake() > 0)
                .sorted((a, b) -> Long.compare(b.stake(), a.stake()))
                .limit(maxValidators)
                .map(Registered::uid)
                .toList();
    }

    private byte[] neuronsLite() {
        NodeCodec.Out w = new NodeCodec.Out().compact(neurons.size());
        List<Integer> permits = permits();
        for (Registered n : neurons) {
            w.bytes(n.hotkey())
                    .bytes(n.coldkey())
                    .compact(n.uid())
                    .compact(netuid)
                    .bool(true);
            w.u64(0).u32(0).bytes(new byte[16]).u16(0).u8(4).u8(0).u8(0).u8(0);
            w.u64(0).u32(0).bytes(new byte[16]).u16(0).u8(4);
            w.compact(1).bytes(n.coldkey()).compact(n.stake());
            for (int f = 0; f < 7; f++) {
                w.compact(f);
            }
            w.compact(lastUpdate.get(n.uid())).bool(permits.contains(n.uid())).compact(0);
        }
        return w.toByteArray();
    }

    /** Writes every storage item the adapter reads, under its real key. */
    private void rebuild() {
        storage.clear();
        byte[] net = new NodeCodec.Out().u16(netuid).toByteArray();
        put(
                NodeCodec.entry("SubtensorModule", "SubnetworkN", net),
                new NodeCodec.Out().u16(neurons.size()).toByteArray());
        NodeCodec.Out last = new NodeCodec.Out().compact(neurons.size());
        NodeCodec.Out permit = new NodeCodec.Out().compact(neurons.size());
        List<Integer> permits = permits();
        for (Registered n : neurons) {
            byte[] uid = new NodeCodec.Out().u16(n.uid()).toByteArray();
            put(NodeCodec.entry("SubtensorModule", "Keys", net, uid), n.hotkey());
            put(NodeCodec.entry("SubtensorModule", "Uids", net, NodeCodec.blake2128Concat(n.hotkey())), uid);
            last.u64(lastUpdate.get(n.uid()));
            permit.bool(permits.contains(n.uid()));
            List<int[]> set = weights.get(n.uid());
            if (rawWeights.containsKey(n.uid())) {
                put(NodeCodec.entry("SubtensorModule", "Weights", net, uid), rawWeights.get(n.uid()));
            } else if (set != null) {
                // Weights: Vec<(u16, u16)>: a compact length, then plain little-endian u16 pairs
                NodeCodec.Out w = new NodeCodec.Out().compact(set.size());
                set.forEach(pair -> w.u16(pair[0]).u16(pair[1]));
                put(NodeCodec.entry("SubtensorModule", "Weights", net, uid), w.toByteArray());
            }
            String who = NodeCodec.ss58(n.hotkey());
            if (rawCommitments.containsKey(who)) {
                put(
                        NodeCodec.entry("Commitments", "CommitmentOf", net, NodeCodec.twox64Concat(n.hotkey())),
                        rawCommitments.get(who));
            } else if (commitments.containsKey(who)) {
                byte[] raw = commitments.get(who).getBytes(StandardCharsets.UTF_8);
                byte[] key = NodeCodec.twox64Concat(n.hotkey());
                put(
                        NodeCodec.entry("Commitments", "CommitmentOf", net, key),
                        new NodeCodec.Out()
                                .u64(0)
                                .u32(commitmentBlocks.get(who))
                                .compact(1)
                                .u8(raw.length + 1)
                                .bytes(raw)
                                .toByteArray());
                put(
                        NodeCodec.entry("Commitments", "LastCommitment", net, key),
                        new NodeCodec.Out().u32(commitmentBlocks.get(who)).toByteArray());
            }
        }
        put(NodeCodec.entry("SubtensorModule", "LastUpdate", net), last.toByteArray());
        put(NodeCodec.entry("SubtensorModule", "ValidatorPermit", net), permit.toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "WeightsVersionKey", net),
                new NodeCodec.Out().u64(versionKey).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "WeightsSetRateLimit", net),
                new NodeCodec.Out().u64(weightsRateLimit).toByteArray());
        if (commitReveal != null) {
            put(
                    NodeCodec.entry("SubtensorModule", "CommitRevealWeightsEnabled", net),
                    new NodeCodec.Out().bool(commitReveal).toByteArray());
        }
        put(
                NodeCodec.prefix("SubtensorModule", "CommitRevealWeightsVersion"),
                new NodeCodec.Out().u16((int) commitRevealVersion).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "RevealPeriodEpochs", NodeCodec.twox64Concat(net)),
                new NodeCodec.Out().u64(revealPeriod).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "Tempo", net),
                new NodeCodec.Out().u16(tempo).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "LastEpochBlock", net),
                new NodeCodec.Out().u64(lastEpochBlock).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "PendingEpochAt", net),
                new NodeCodec.Out().u64(pendingEpochAt).toByteArray());
        put(
                NodeCodec.entry("SubtensorModule", "BlocksSinceLastStep", net),
                new NodeCodec.Out().u64(blocksSinceLastStep).toByteArray());
        if (statefulEpochs) {
            put(
                    NodeCodec.entry("SubtensorModule", "SubnetEpochIndex", net),
                    new NodeCodec.Out().u64(epochIndex).toByteArray());
        }
        put(
                NodeCodec.prefix("Drand", "LastStoredRound"),
                new NodeCodec.Out()
                        .u64(drandRoundAt.applyAsLong(current()) - drandStale)
                        .toByteArray());
        byte[] netIndex = NodeCodec.twox64Concat(net); // netuid_index = netuid for mechanism 0
        hashCommits.forEach((who, queue) -> {
            if (!queue.isEmpty()) {
                NodeCodec.Out w = new NodeCodec.Out().compact(queue.size());
                queue.forEach(
                        c -> w.bytes(c.hash()).u64(c.epoch()).u64(c.block()).u64(0));
                put(
                        NodeCodec.entry(
                                "SubtensorModule",
                                "WeightCommits",
                                netIndex,
                                NodeCodec.twox64Concat(NodeCodec.account(who).orElseThrow())),
                        w.toByteArray());
            }
        });
        timelockCommits.forEach((epoch, queue) -> {
            NodeCodec.Out w = new NodeCodec.Out().compact(queue.size());
            queue.forEach(c -> w.bytes(c.who()).u64(c.block()).vec(c.commit()).u64(c.round()));
            put(
                    NodeCodec.entry(
                            "SubtensorModule",
                            "TimelockedWeightCommits",
                            netIndex,
                            NodeCodec.twox64Concat(
                                    new NodeCodec.Out().u64(epoch).toByteArray())),
                    w.toByteArray());
        });
        put(
                NodeCodec.prefix("Commitments", "RateLimit"),
                new NodeCodec.Out().u32(commitRateLimit).toByteArray());
    }

    private void put(byte[] key, byte[] value) {
        storage.put(HEX.formatHex(key), value);
    }

    private long blockOf(String hash) throws RpcError {
        for (int i = 0; i < blocks.size(); i++) {
            if (hex(blocks.get(i)).equals(hash)) {
                return i;
            }
        }
        throw new RpcError(-32000, "unknown block " + hash);
    }

    private static ObjectNode notification(String subscription, JsonNode result) {
        ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "author_extrinsicUpdate");
        ObjectNode params = n.putObject("params").put("subscription", subscription);
        params.set("result", result);
        return n;
    }

    private static ObjectNode error(long id, int code, String message) {
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id);
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    private static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }

    private static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    private static String strip(String hex) {
        return hex.startsWith("0x") ? hex.substring(2).toLowerCase(java.util.Locale.ROOT) : hex;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class RpcError extends Exception {
        final int code;

        RpcError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
