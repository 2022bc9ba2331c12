package io.pretrain4j.adapters.chain.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.WeightsSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local chain's state as its log builds it, entry by entry ({@link #apply}): the rules, the neurons,
 * commitments, weights and the weight commits not revealed yet. Every reader of the log derives the same
 * state; {@link LocalChain} holds it under its lock.
 */
final class ChainState {
    Rules rules;
    long advanced;
    long lastEntryBlock;
    final List<NeuronState> neurons = new ArrayList<>();
    final Map<String, Integer> uids = new HashMap<>();
    final Map<String, Commitment> commitments = new LinkedHashMap<>();
    final Map<String, WeightsSet> weights = new HashMap<>();
    /** Weight commits the chain has not revealed yet (commit-reveal subnets), oldest first. */
    final List<PendingReveal> pendingReveals = new ArrayList<>();

    record PendingReveal(String hotkey, int[] uids, int[] weights, long commitBlock, long revealBlock) {}

    static final class NeuronState {
        final int uid;
        final String hotkey;
        String coldkey;
        long stake;
        long lastUpdate;

        NeuronState(int uid, String hotkey, String coldkey, long stake, long lastUpdate) {
            this.uid = uid;
            this.hotkey = hotkey;
            this.coldkey = coldkey;
            this.stake = stake;
            this.lastUpdate = lastUpdate;
        }
    }

    /** Reveals the commits whose reveal block is at or before {@code block}, in commit order. */
    void revealUpTo(long block) {
        for (Iterator<PendingReveal> it = pendingReveals.iterator(); it.hasNext(); ) {
            PendingReveal p = it.next();
            if (p.revealBlock() <= block) {
                it.remove();
                applyWeights(p.hotkey(), p.uids(), p.weights(), p.revealBlock());
            }
        }
    }

    /** Weights taking effect at {@code block} (set, or revealed): stored, and the neuron's last update moved. */
    void applyWeights(String hotkey, int[] uidArray, int[] weightArray, long block) {
        weights.put(hotkey, new WeightsSet(uidArray, weightArray, block));
        Integer uid = uids.get(hotkey);
        if (uid != null) {
            neurons.get(uid).lastUpdate = Math.max(neurons.get(uid).lastUpdate, block);
        }
    }

    /** Applies one log entry of the chain in {@code dir}. */
    void apply(JsonNode entry, Path dir) {
        long block = entry.path("block").asLong();
        lastEntryBlock = Math.max(lastEntryBlock, block);
        switch (entry.path("t").asText()) {
            case "genesis" -> rules = Rules.fromGenesis(entry);
            case "advance" -> advanced += entry.path("blocks").asLong();
            case "register" -> {
                String hotkey = entry.path("hotkey").asText();
                Integer uid = uids.get(hotkey);
                if (uid == null) {
                    uid = neurons.size();
                    uids.put(hotkey, uid);
                    neurons.add(new NeuronState(
                            uid,
                            hotkey,
                            entry.path("coldkey").asText(),
                            entry.path("stake").asLong(),
                            block));
                } else {
                    NeuronState neuron = neurons.get(uid);
                    neuron.stake = entry.path("stake").asLong();
                    neuron.coldkey = entry.path("coldkey").asText();
                }
            }
            case "commit" ->
                commitments.put(
                        entry.path("hotkey").asText(),
                        new Commitment(
                                entry.path("hotkey").asText(),
                                entry.path("data").asText(),
                                block));
            case "weights" ->
                applyWeights(
                        entry.path("hotkey").asText(),
                        WeightRules.ints(entry.path("uids")),
                        WeightRules.ints(entry.path("weights")),
                        block);
            case "wcommit" -> {
                // reveals due before this commit happen first, so every reader applies them in the same order
                revealUpTo(block);
                String hotkey = entry.path("hotkey").asText();
                pendingReveals.add(new PendingReveal(
                        hotkey,
                        WeightRules.ints(entry.path("uids")),
                        WeightRules.ints(entry.path("weights")),
                        block,
                        entry.path("revealBlock").asLong()));
                Integer uid = uids.get(hotkey);
                if (uid != null) {
                    neurons.get(uid).lastUpdate = block;
                }
            }
            default ->
                throw ChainLog.unavailable(
                        "local chain " + dir + ": unknown entry type '"
                                + entry.path("t").asText() + "'",
                        null);
        }
    }
}
