package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.INFO;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Subtensor chain over JSON-RPC: reads through storage and the {@code NeuronInfoRuntimeApi},
 * writes as signed extrinsics ({@code Commitments.set_commitment}, {@code SubtensorModule.set_weights})
 * watched until they are in a block and then read back. Storage values are decoded by the types the
 * runtime's metadata declares; the runtime is followed across upgrades ({@link RuntimeTracker}), one
 * runtime per write; an extension set this client does not know fails with a message instead of a bad
 * transaction. On a subnet with commit-reveal weights {@link #setWeights} commits instead
 * ({@link CommitReveal}: timelocked, or hash commits it reveals itself from a background thread).
 */
public final class SubtensorChain implements Chain {
    private static final System.Logger LOG = System.getLogger(SubtensorChain.class.getName());

    private final JsonRpcClient rpc;
    private final int netuid;
    private final NodeReplies replies;
    private final RuntimeTracker runtimes;
    private final ExtrinsicSubmitter submitter;
    private final CommitReveal commitReveal;
    private final SubnetReads reads;
    /** Writes are serialized: they share the signer's nonce. */
    private final Object writes = new Object();

    private final ScheduledExecutorService followUps;
    private volatile Hotkey signer;
    private volatile boolean closed;

    public SubtensorChain(JsonRpcClient rpc, int netuid, int eraPeriod, Duration inclusionTimeout) {
        this(
                rpc,
                netuid,
                eraPeriod,
                inclusionTimeout,
                CommitReveal.Settings.defaults(CommitReveal.Mode.AUTO, null),
                Duration.ofSeconds(12));
    }

    SubtensorChain(
            JsonRpcClient rpc,
            int netuid,
            int eraPeriod,
            Duration inclusionTimeout,
            CommitReveal.Settings commitRevealSettings,
            Duration followUpEvery) {
        this.rpc = rpc;
        this.netuid = netuid;
        this.replies = new NodeReplies(rpc);
        byte[] genesisHash = replies.hash32(rpc.call("chain_getBlockHash", 0), "the genesis hash");
        this.runtimes = new RuntimeTracker(rpc, replies);
        this.submitter = new ExtrinsicSubmitter(rpc, replies, genesisHash, eraPeriod, inclusionTimeout);
        this.reads = new SubnetReads(rpc, replies, runtimes, netuid);
        this.commitReveal =
                new CommitReveal(netuid, replies, runtimes, submitter, commitRevealSettings, this::currentBlock);
        this.followUps = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("subtensor-commit-reveal").factory());
        followUps.scheduleWithFixedDelay(
                this::followUp, followUpEvery.toMillis(), followUpEvery.toMillis(), TimeUnit.MILLISECONDS);
        RuntimeTracker.Runtime runtime = runtimes.known();
        LOG.log(
                INFO,
                "connected to {0}: runtime {1} (spec {2}, tx {3}), genesis 0x{4}, netuid {5}",
                rpc.endpoint(),
                runtime.specName(),
                runtime.specVersion(),
                runtime.transactionVersion(),
                HexFormat.of().formatHex(genesisHash),
                netuid);
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
        return replies.blockNumber(rpc.call("chain_getHeader"));
    }

    @Override
    public String blockHash(long block) {
        JsonNode hash = rpc.call("chain_getBlockHash", block);
        if (hash == null || hash.isNull()) {
            throw new Pretrain4jException(
                    ChainErrorCode.UNKNOWN_BLOCK,
                    "block " + block + " does not exist on " + rpc.endpoint() + " (or is older than the node keeps)");
        }
        return "0x" + HexFormat.of().formatHex(replies.hash32(hash, "the hash of block " + block));
    }

    /** Also the moment the runtime's version is checked (once per validator iteration), so upgrades are noticed. */
    @Override
    public Metagraph metagraph() {
        runtimes.current();
        return reads.metagraph();
    }

    @Override
    public Optional<Commitment> commitment(String hotkey) {
        byte[] account = account(hotkey);
        byte[] value = replies.storage(StorageKeys.entry(
                "Commitments", "CommitmentOf", CommitStorage.u16(netuid), StorageKeys.twox64Concat(account)));
        return value == null
                ? Optional.empty()
                : Optional.of(CommitmentRecords.decode(runtimes.known().metadata(), hotkey, value));
    }

    @Override
    public Map<String, Commitment> commitments() {
        return reads.commitments();
    }

    @Override
    public Optional<WeightsSet> weights(String hotkey) {
        return reads.weights(account(hotkey));
    }

    @Override
    public long commit(Hotkey hotkey, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        String who = hotkey.ss58Address();
        if (bytes.length > CommitmentRecords.MAX_COMMITMENT_BYTES) {
            throw new Pretrain4jException(
                    ChainErrorCode.COMMITMENT_TOO_LARGE,
                    "commitment of " + who + " is " + bytes.length + " bytes; the chain takes at most "
                            + CommitmentRecords.MAX_COMMITMENT_BYTES);
        }
        RuntimeTracker.Runtime runtime = runtimes.current();
        RuntimeMetadata metadata = runtime.metadata();
        byte[] account = hotkey.publicKey();
        requireRegistered(metadata, account, who);
        long current = currentBlock();
        Optional<Object> last = metadata.value(
                "Commitments",
                "LastCommitment",
                replies.storage(StorageKeys.entry(
                        "Commitments", "LastCommitment", CommitStorage.u16(netuid), StorageKeys.twox64Concat(account))),
                "LastCommitment");
        Optional<Object> limit = metadata.value(
                "Commitments",
                "RateLimit",
                replies.storage(StorageKeys.prefix("Commitments", "RateLimit")),
                "RateLimit");
        if (last.isPresent() && limit.isPresent()) {
            long lastBlock = Values.integer(last.get(), "LastCommitment");
            long rate = Values.integer(limit.get(), "RateLimit");
            if (current + 1 < lastBlock + rate) {
                throw new Pretrain4jException(
                        ChainErrorCode.RATE_LIMITED,
                        who + " committed at block " + lastBlock + "; the next commitment is allowed from block "
                                + (lastBlock + rate) + " (now " + current + ")");
            }
        }
        int[] index = metadata.call("Commitments", "set_commitment");
        byte[] call = new Scale.Writer()
                .u8(index[0])
                .u8(index[1])
                .u16(netuid)
                .compact(1)
                .u8(bytes.length + 1)
                .bytes(bytes)
                .toByteArray();
        long block = submitter.submit(runtime, call, hotkey, "set_commitment");
        Optional<Commitment> readBack = commitment(who);
        if (readBack.isEmpty()
                || !readBack.get().data().equals(data)
                || readBack.get().block() != block) {
            throw replies.unavailable("the commitment of " + who + " was included in block " + block
                    + " but did not take effect (read back: "
                    + readBack.map(c -> c.data() + " at block " + c.block()).orElse("none")
                    + "); the chain refused it on dispatch");
        }
        return block;
    }

    @Override
    public long setWeights(Hotkey hotkey, List<Integer> uids, List<Integer> weights, long versionKey) {
        String who = hotkey.ss58Address();
        if (uids.size() != weights.size() || uids.isEmpty()) {
            throw new Pretrain4jException(
                    ChainErrorCode.INVALID_WEIGHTS, "got " + uids.size() + " uids and " + weights.size() + " weights");
        }
        signer = hotkey;
        synchronized (writes) {
            // pending reveals first: a reveal due now must not wait behind a new commit
            try {
                commitReveal.followUp(hotkey);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Following up weight commits failed (tried again later): {0}",
                        e.getMessage());
            }
            // one runtime for the whole write: the rules read, the call built and the signature all
            // follow the same version
            RuntimeTracker.Runtime runtime = runtimes.current();
            return setWeights(runtime, hotkey, uids, weights, versionKey);
        }
    }

    private long setWeights(
            RuntimeTracker.Runtime runtime, Hotkey hotkey, List<Integer> uids, List<Integer> weights, long versionKey) {
        String who = hotkey.ss58Address();
        RuntimeMetadata metadata = runtime.metadata();
        // never plain weights where commit-reveal is on: the scheme is read from this runtime, for this write
        CommitReveal.Scheme scheme = commitReveal.scheme(metadata);
        byte[] account = hotkey.publicKey();
        int self = requireRegistered(metadata, account, who);
        Metagraph metagraph = reads.metagraph();
        Set<Integer> seen = new HashSet<>();
        long max = 0;
        for (int i = 0; i < uids.size(); i++) {
            int uid = uids.get(i);
            if (!seen.add(uid)) {
                throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "uid " + uid + " appears twice");
            }
            if (metagraph.neurons().stream().noneMatch(n -> n.uid() == uid)) {
                throw new Pretrain4jException(
                        ChainErrorCode.INVALID_WEIGHTS, "uid " + uid + " is not registered on netuid " + netuid);
            }
            if (weights.get(i) < 0 || weights.get(i) > 65535) {
                throw new Pretrain4jException(
                        ChainErrorCode.INVALID_WEIGHTS, "weight " + weights.get(i) + " is not a u16");
            }
            max = Math.max(max, weights.get(i));
        }
        if (max == 0) {
            throw new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "every weight is zero");
        }
        Neuron me = metagraph.neurons().stream()
                .filter(n -> n.uid() == self)
                .findFirst()
                .orElseThrow();
        if (!me.validatorPermit() && !(uids.size() == 1 && uids.get(0) == self)) {
            throw new Pretrain4jException(
                    ChainErrorCode.NO_VALIDATOR_PERMIT,
                    who + " (uid " + self + ") has no validator permit on netuid " + netuid);
        }
        long required = u64Item(metadata, "WeightsVersionKey");
        if (required != 0 && versionKey < required) {
            throw new Pretrain4jException(
                    ChainErrorCode.VERSION_KEY_TOO_LOW,
                    "version key " + versionKey + " is below the subnet's " + required);
        }
        long rate = u64Item(metadata, "WeightsSetRateLimit");
        long current = metagraph.block();
        if (current + 1 - me.lastUpdate() < rate) {
            throw new Pretrain4jException(
                    ChainErrorCode.RATE_LIMITED,
                    who + " last set weights (or registered) at block " + me.lastUpdate()
                            + "; the next set_weights is allowed from block " + (me.lastUpdate() + rate) + " (now "
                            + current + ")");
        }
        if (scheme == CommitReveal.Scheme.TIMELOCK) {
            return commitReveal.commitTimelocked(runtime, hotkey, uids, weights, versionKey);
        }
        if (scheme == CommitReveal.Scheme.HASH) {
            return commitReveal.commitHash(runtime, hotkey, uids, weights, versionKey);
        }
        Scale.Writer call = new Scale.Writer();
        int[] index = metadata.call("SubtensorModule", "set_weights");
        call.u8(index[0]).u8(index[1]).u16(netuid).compact(uids.size());
        uids.forEach(call::u16);
        call.compact(weights.size());
        weights.forEach(call::u16);
        call.u64(versionKey);
        long block = submitter.submit(runtime, call.toByteArray(), hotkey, "set_weights");
        long[] lastUpdate = reads.u64Vector(metadata, "LastUpdate");
        if (self >= lastUpdate.length || lastUpdate[self] != block) {
            throw replies.unavailable("set_weights of " + who + " was included in block " + block
                    + " but did not take effect; the chain refused it " + "on dispatch");
        }
        return block;
    }

    @Override
    public void writesAs(Hotkey hotkey) {
        signer = hotkey;
        followUps.execute(this::followUp);
    }

    /** Reveals due hash commits and confirms timelocked ones; runs every few seconds while any are pending. */
    private void followUp() {
        Hotkey hotkey = signer;
        if (!commitReveal.hasPending()) {
            return;
        }
        try {
            synchronized (writes) {
                commitReveal.followUp(hotkey);
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Following up weight commits failed (tried again shortly): {0}",
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        followUps.shutdownNow();
        rpc.close();
    }

    // ---------------------------------------------------------------- storage helpers

    private int requireRegistered(RuntimeMetadata metadata, byte[] account, String who) {
        return reads.uid(metadata, account)
                .orElseThrow(() -> new Pretrain4jException(
                        ChainErrorCode.NOT_REGISTERED, who + " is not registered on netuid " + netuid));
    }

    private long u64Item(RuntimeMetadata metadata, String item) {
        byte[] raw = replies.storage(StorageKeys.entry("SubtensorModule", item, CommitStorage.u16(netuid)));
        return metadata.value("SubtensorModule", item, raw, item)
                .map(v -> Values.integer(v, item))
                .orElse(0L);
    }

    private static byte[] account(String ss58) {
        return Ss58.decode(ss58)
                .orElseThrow(() -> new Pretrain4jException(
                        ChainErrorCode.NOT_REGISTERED,
                        "'" + (ss58.length() > 60 ? ss58.substring(0, 60) + "..." : ss58)
                                + "' is not an SS58 address"));
    }
}
