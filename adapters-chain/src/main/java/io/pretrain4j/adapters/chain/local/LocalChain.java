package io.pretrain4j.adapters.chain.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A persistent chain in a directory that several processes share. Its state is an append-only log
 * ({@code chain.log}) of checksummed JSON lines: genesis (the state.rules), registrations, block
 * advances, state.commitments and state.weights, each with the block it landed in. A write takes an exclusive
 * file lock ({@code chain.lock}), reads what others appended, repairs a torn tail a killed writer
 * left (truncating to the last whole entry), checks the chain's state.rules at the current block, appends
 * one line and fsyncs it. Reads need no lock: they apply whole, checksummed lines only, so they
 * never see a torn write. Blocks follow the wall clock from genesis (plus on-demand advances);
 * block hashes are {@code 0x} + SHA-256 of the chain's name and the block number.
 */
final class LocalChain implements Chain, ChainAdmin {
    private static final System.Logger LOG = System.getLogger(LocalChain.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final ChainLog log;

    /** What the log says, guarded by this. */
    private final ChainState state = new ChainState();

    private LocalChain(Path dir, ChainLog log) {
        this.dir = dir;
        this.log = log;
    }

    /** Opens the chain in {@code dir}, creating it with {@code wanted} state.rules if it does not exist. */
    static LocalChain open(Path directory, Rules wanted) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            LocalChain chain = new LocalChain(dir, new ChainLog(dir));
            chain.locked(() -> {
                if (chain.state.rules == null) {
                    chain.append(wanted.genesis(MAPPER.createObjectNode()));
                    LOG.log(
                            System.Logger.Level.INFO,
                            "created local chain {0}: netuid {1}, block time {2} ms{3}",
                            dir,
                            wanted.netuid(),
                            wanted.blockMillis(),
                            wanted.commitReveal()
                                    ? ", commit-reveal weights (tempo " + wanted.tempo() + ", revealed "
                                            + wanted.revealPeriod() + " epoch(s) after the commit)"
                                    : "");
                }
                return 0L;
            });
            Rules actual = chain.state.rules;
            if (actual.blockMillis() != wanted.blockMillis()
                    || actual.commitRateLimit() != wanted.commitRateLimit()
                    || actual.weightsRateLimit() != wanted.weightsRateLimit()
                    || actual.netuid() != wanted.netuid()
                    || actual.commitReveal() != wanted.commitReveal()) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "local chain {0} keeps the state.rules it was created with: {1}",
                        dir,
                        actual);
            }
            return chain;
        } catch (IOException e) {
            throw unavailable("cannot open the local chain in " + dir + ": " + e, e);
        }
    }

    @Override
    public String id() {
        return "local:" + dir + " (netuid " + rules().netuid() + ")";
    }

    @Override
    public int netuid() {
        return rules().netuid();
    }

    private synchronized Rules rules() {
        refresh();
        return state.rules;
    }

    @Override
    public synchronized long currentBlock() {
        refresh();
        return blockNow();
    }

    private long blockNow() {
        long clock = state.rules.blockMillis() > 0
                ? Math.max(0, (System.currentTimeMillis() - state.rules.genesisMillis()) / state.rules.blockMillis())
                : 0;
        return Math.max(clock + state.advanced, state.lastEntryBlock);
    }

    @Override
    public String blockHash(long block) {
        long current = currentBlock();
        if (block < 0 || block > current) {
            throw new Pretrain4jException(
                    ChainErrorCode.UNKNOWN_BLOCK,
                    "block " + block + " does not exist yet (the current block is " + current + ")");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("pretrain4j-local-chain:" + rules().name() + ":" + block)
                            .getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public synchronized Metagraph metagraph() {
        refresh();
        List<ChainState.NeuronState> byStake = new ArrayList<>(state.neurons);
        byStake.removeIf(n -> n.stake <= 0);
        byStake.sort(
                Comparator.comparingLong((ChainState.NeuronState n) -> -n.stake).thenComparingInt(n -> n.uid));
        Set<Integer> permitted = new HashSet<>();
        byStake.stream().limit(state.rules.maxValidators()).forEach(n -> permitted.add(n.uid));
        List<Neuron> list = new ArrayList<>();
        for (ChainState.NeuronState n : state.neurons) {
            list.add(new Neuron(n.uid, n.hotkey, n.coldkey, n.stake, permitted.contains(n.uid), n.lastUpdate));
        }
        return new Metagraph(state.rules.netuid(), blockNow(), list);
    }

    @Override
    public synchronized Optional<Commitment> commitment(String hotkey) {
        refresh();
        return Optional.ofNullable(state.commitments.get(hotkey));
    }

    @Override
    public synchronized Map<String, Commitment> commitments() {
        refresh();
        return Map.copyOf(state.commitments);
    }

    @Override
    public synchronized Optional<WeightsSet> weights(String hotkey) {
        refresh();
        return Optional.ofNullable(state.weights.get(hotkey));
    }

    @Override
    public long commit(Hotkey hotkey, String data) {
        requireNonNull(data, "data is null");
        return locked(() -> {
            long block = blockNow();
            String who = hotkey.ss58Address();
            requireRegistered(who);
            int size = data.getBytes(StandardCharsets.UTF_8).length;
            if (size > state.rules.maxCommitBytes()) {
                throw new Pretrain4jException(
                        ChainErrorCode.COMMITMENT_TOO_LARGE,
                        "commitment of " + who + " is " + size + " bytes; the chain accepts at most "
                                + state.rules.maxCommitBytes());
            }
            Commitment last = state.commitments.get(who);
            if (last != null && block - last.block() < state.rules.commitRateLimit()) {
                throw new Pretrain4jException(
                        ChainErrorCode.RATE_LIMITED,
                        who + " committed at block " + last.block() + "; the next commitment is allowed from block "
                                + (last.block() + state.rules.commitRateLimit()) + " (now " + block + ")");
            }
            append(MAPPER.createObjectNode()
                    .put("t", "commit")
                    .put("hotkey", who)
                    .put("data", data)
                    .put("block", block));
            return block;
        });
    }

    @Override
    public long setWeights(Hotkey hotkey, List<Integer> uidList, List<Integer> weightList, long versionKey) {
        return locked(() -> {
            long block = blockNow();
            String who = hotkey.ss58Address();
            ChainState.NeuronState self = state.neurons.get(requireRegistered(who));
            if (state.rules.versionKey() != 0 && versionKey < state.rules.versionKey()) {
                throw new Pretrain4jException(
                        ChainErrorCode.VERSION_KEY_TOO_LOW,
                        "version key " + versionKey + " is below the subnet's " + state.rules.versionKey()
                                + " (upgrade the validator)");
            }
            if (block - self.lastUpdate < state.rules.weightsRateLimit()) {
                throw new Pretrain4jException(
                        ChainErrorCode.RATE_LIMITED,
                        who + " last set weights (or registered) at block " + self.lastUpdate
                                + "; the next set_weights is allowed from block "
                                + (self.lastUpdate + state.rules.weightsRateLimit()) + " (now " + block + ")");
            }
            if (!metagraph().byHotkey(who).orElseThrow().validatorPermit()) {
                throw new Pretrain4jException(
                        ChainErrorCode.NO_VALIDATOR_PERMIT, who + " (uid " + self.uid + ") has no validator permit");
            }
            int[] upscaled = WeightRules.checkedAndUpscaled(uidList, weightList, state.neurons.size());
            if (state.rules.commitReveal()) {
                // as on mainnet: committed now, revealed by the chain in the reveal epoch; never set in the clear
                long unrevealed = state.pendingReveals.stream()
                        .filter(p -> p.hotkey().equals(who))
                        .count();
                if (unrevealed >= 10) {
                    throw new Pretrain4jException(
                            ChainErrorCode.RATE_LIMITED,
                            who + " has " + unrevealed
                                    + " unrevealed weight commits; the chain takes no more until one is revealed");
                }
                long revealBlock = state.rules.firstBlock(state.rules.epoch(block) + state.rules.revealPeriod());
                ObjectNode commit = MAPPER.createObjectNode()
                        .put("t", "wcommit")
                        .put("hotkey", who)
                        .put("versionKey", versionKey)
                        .put("revealBlock", revealBlock)
                        .put("block", block);
                uidList.forEach(commit.putArray("uids")::add);
                ArrayNode values = commit.putArray("weights");
                for (int w : upscaled) {
                    values.add(w);
                }
                append(commit);
                LOG.log(
                        System.Logger.Level.INFO,
                        "{0} committed state.weights at block {1} (epoch {2}); the chain reveals them at block {3}",
                        who,
                        block,
                        state.rules.epoch(block),
                        revealBlock);
                return block;
            }
            ObjectNode entry = MAPPER.createObjectNode()
                    .put("t", "weights")
                    .put("hotkey", who)
                    .put("versionKey", versionKey)
                    .put("block", block);
            ArrayNode uidArray = entry.putArray("uids");
            uidList.forEach(uidArray::add);
            ArrayNode weightArray = entry.putArray("weights");
            for (int w : upscaled) {
                weightArray.add(w);
            }
            append(entry);
            return block;
        });
    }

    private int requireRegistered(String hotkey) {
        Integer uid = state.uids.get(hotkey);
        if (uid == null) {
            throw new Pretrain4jException(
                    ChainErrorCode.NOT_REGISTERED,
                    hotkey + " is not registered on netuid " + state.rules.netuid()
                            + " (bin/pretrain4j chain register --hotkey " + hotkey + ")");
        }
        return uid;
    }

    @Override
    public int register(String hotkey, String coldkey, long stakeRao) {
        if (Ss58.decode(hotkey).isEmpty()) {
            throw new Pretrain4jException(
                    ChainErrorCode.NOT_REGISTERED, "'" + hotkey + "' is not an SS58 address (checksum included)");
        }
        if (!coldkey.isEmpty() && Ss58.decode(coldkey).isEmpty()) {
            throw new Pretrain4jException(
                    ChainErrorCode.NOT_REGISTERED, "coldkey '" + coldkey + "' is not an SS58 address");
        }
        if (stakeRao < 0) {
            throw new Pretrain4jException(ChainErrorCode.NOT_REGISTERED, "stake must be >= 0");
        }
        return (int) (long) locked(() -> {
            Integer existing = state.uids.get(hotkey);
            if (existing == null && state.neurons.size() >= state.rules.maxUids()) {
                throw new Pretrain4jException(
                        ChainErrorCode.NOT_REGISTERED, "the subnet is full (" + state.rules.maxUids() + " state.uids)");
            }
            append(MAPPER.createObjectNode()
                    .put("t", "register")
                    .put("hotkey", hotkey)
                    .put("coldkey", coldkey)
                    .put("stake", stakeRao)
                    .put("block", blockNow()));
            return (long) state.uids.get(hotkey);
        });
    }

    @Override
    public long advance(long blocks) {
        if (blocks <= 0) {
            throw new Pretrain4jException(
                    ChainErrorCode.UNKNOWN_BLOCK, "advance by a positive number of blocks, got " + blocks);
        }
        return locked(() -> {
            long target = blockNow() + blocks;
            append(MAPPER.createObjectNode()
                    .put("t", "advance")
                    .put("blocks", blocks)
                    .put("block", target));
            return blockNow();
        });
    }

    /** Runs {@code action} holding the chain's locks, on a fresh, repaired view. */
    private long locked(ChainLog.LongSupplierWithIo action) {
        return log.locked(this, this::apply, () -> {
            revealDue();
            return action.get();
        });
    }

    /** The chain's reveal: commits whose reveal block has come take effect, with that block (every reader derives the same). */
    private synchronized void revealDue() {
        if (state.pendingReveals.isEmpty() || state.rules == null) {
            return;
        }
        state.revealUpTo(blockNow());
    }

    private void append(ObjectNode entry) throws IOException {
        log.append(entry);
        apply(entry);
    }

    /** Applies the entries others appended since the last look. */
    private synchronized void refresh() {
        log.readNew(this::apply);
        if (state.rules == null && log.started()) {
            throw unavailable("local chain " + dir + " has no genesis entry", null);
        }
        revealDue();
    }

    private void apply(JsonNode entry) {
        state.apply(entry, dir);
    }

    private static Pretrain4jException unavailable(String message, Throwable cause) {
        return ChainLog.unavailable(message, cause);
    }

    @Override
    public void close() {
        log.close();
    }
}
