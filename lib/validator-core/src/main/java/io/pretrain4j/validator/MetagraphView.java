package io.pretrain4j.validator;

import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.ValidatorState;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loop's view of the metagraph: read again every {@code metagraph-refresh}; models of hotkeys
 * that left are forgotten, the running weights follow the subnet's size, and a uid taken by another
 * hotkey loses its place (issue 20 review: split out of {@link Validator}).
 */
final class MetagraphView {
    private static final System.Logger LOG = System.getLogger(MetagraphView.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final Clock clock;
    private Metagraph metagraph;
    private long metagraphAtMs;

    MetagraphView(ValidatorSettings config, LoopServices services, ValidatorState state, Clock clock) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.clock = clock;
    }

    /** The metagraph last read (null before the first {@link #refresh}). */
    /**
     * The validator's uid at start (-1 when unknown), warning when the hotkey is not registered or has
     * no validator permit: it then evaluates but cannot set weights.
     */
    int ownUidAtStart() {
        try {
            Metagraph current = services.chain().metagraph();
            Optional<Neuron> self = current.byHotkey(services.hotkey().ss58Address());
            if (self.isEmpty()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "The validator''s hotkey {0} is not registered on netuid {1}: it evaluates, but cannot set "
                                + "weights until it is",
                        services.hotkey().ss58Address(),
                        current.netuid());
            } else if (!self.get().validatorPermit()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "The validator (uid {0}) has no validator permit: the chain refuses its weights until it "
                                + "has one (more stake)",
                        self.get().uid());
            }
            return self.map(Neuron::uid).orElse(-1);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the metagraph at start: {0}", e.getMessage());
            return -1;
        }
    }

    Metagraph current() {
        return metagraph;
    }

    Optional<Neuron> neuron(int uid) {
        return metagraph.neurons().stream().filter(n -> n.uid() == uid).findFirst();
    }

    /** Reads the metagraph again when it is older than {@code metagraph-refresh}, and brings the state in line with it. */
    Metagraph refresh() {
        long now = clock.millis();
        if (metagraph == null
                || now - metagraphAtMs >= config.metagraphRefresh().toMillis()) {
            Metagraph fresh = services.chain().metagraph();
            if (metagraph != null) {
                Set<String> hotkeys = new HashSet<>();
                fresh.neurons().forEach(n -> hotkeys.add(n.hotkey()));
                state.forgetModelsExcept(hotkeys);
            }
            metagraph = fresh;
            metagraphAtMs = now;
            int size = fresh.neurons().stream().mapToInt(Neuron::uid).max().orElse(-1) + 1;
            state.resizeWeights(size);
            // a uid now held by another hotkey is a new miner: it must not inherit the old one's place
            for (Set<Integer> uids : List.of(state.uidsInFlight())) {
                for (int uid : uids) {
                    Optional<Neuron> neuron = neuron(uid);
                    TrackedModel tracked =
                            neuron.map(n -> state.model(n.hotkey())).orElse(null);
                    if (tracked == null) {
                        state.evict(uid);
                    }
                }
            }
        }
        return metagraph;
    }

    private static Set<Integer> flatten(Map<Integer, TreeSet<Integer>> sets) {
        Set<Integer> all = new TreeSet<>();
        sets.values().forEach(all::addAll);
        return all;
    }
}
