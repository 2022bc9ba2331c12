package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.scoring.ChainWeights;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.validator.state.StateStore;
import io.pretrain4j.validator.state.ValidatorState;
import io.pretrain4j.validator.state.WeightsIntent;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Weights on chain: prepared from the running competition weights when due (and saved in the state
 * before the chain is asked), set from what was prepared, and, at start, looked for on chain when a
 * crash came between the two (issue 20). Split out of {@link Validator}.
 */
final class WeightSetter {
    private static final System.Logger LOG = System.getLogger(WeightSetter.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final StateStore store;
    private final Clock clock;

    WeightSetter(ValidatorSettings config, LoopServices services, ValidatorState state, StateStore store, Clock clock) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.store = store;
        this.clock = clock;
    }

    /** Records the weights to set when they are due (saved with the step before the chain is asked). */
    void prepareWeightsIfDue(List<Competition> active, long block) {
        state.dropWeightsIntent();
        double[] weights = state.subnetWeights(active);
        ChainWeights chainWeights = ChainWeights.fromVector(weights);
        if (chainWeights.isEmpty()) {
            return;
        }
        long now = clock.millis();
        if (state.weightsSetAtMs() != 0
                && now - state.weightsSetAtMs() < config.weightsInterval().toMillis()) {
            return;
        }
        if (state.weightsFailedAtMs() != 0
                && now - state.weightsFailedAtMs() < config.weightsRetry().toMillis()) {
            return;
        }
        state.prepareWeights(new WeightsIntent(
                box(chainWeights.uids()), box(chainWeights.values()), config.versionKey(), block, now));
    }

    /** Sets the prepared weights on chain and records the outcome. */
    void setPreparedWeights() {
        WeightsIntent intent = state.weightsIntent();
        if (intent == null) {
            return;
        }
        try {
            long block =
                    services.chain().setWeights(services.hotkey(), intent.uids(), intent.values(), intent.versionKey());
            state.weightsSet(intent.atMs(), block);
            LOG.log(
                    INFO,
                    "Set weights on chain at block {0} (version key {1}): {2}",
                    block,
                    intent.versionKey(),
                    describe(intent));
        } catch (RuntimeException e) {
            state.weightsFailed(intent.atMs(), e.getMessage());
            LOG.log(
                    WARNING,
                    "Setting weights failed; retrying in {0} s: {1}",
                    config.weightsRetry().toSeconds(),
                    e.getMessage());
        } finally {
            state.dropWeightsIntent();
        }
    }

    /**
     * At start: weights a crash left prepared are looked for on chain. Found (the extrinsic landed
     * before the crash), they are recorded as set, so they are not set again before their interval;
     * not found, they are dropped and set again when due.
     */
    /**
     * At start: the chain learns which hotkey signs (commit-reveal chains reveal with it), and weights a crash left
     * prepared are resolved.
     */
    void resume() {
        services.chain().writesAs(services.hotkey());
        resolvePreparedWeights();
    }

    void resolvePreparedWeights() {
        WeightsIntent intent = state.weightsIntent();
        if (intent == null) {
            return;
        }
        try {
            Optional<WeightsSet> onChain =
                    services.chain().weights(services.hotkey().ss58Address());
            if (onChain.isPresent()
                    && onChain.get().block() >= intent.block()
                    && Arrays.equals(
                            onChain.get().uids(),
                            intent.uids().stream().mapToInt(Integer::intValue).toArray())
                    && Arrays.equals(
                            onChain.get().weights(),
                            intent.values().stream().mapToInt(Integer::intValue).toArray())) {
                state.weightsSet(intent.atMs(), onChain.get().block());
                LOG.log(
                        INFO,
                        "The weights prepared before the restart are on chain (block {0}); recorded as set, not set again",
                        onChain.get().block());
            } else {
                LOG.log(INFO, "The weights prepared before the restart are not on chain; they are set again when due");
            }
            state.dropWeightsIntent();
            store.save(state);
        } catch (RuntimeException e) {
            LOG.log(
                    WARNING,
                    "Cannot look for the weights prepared before the restart ({0}); they are set again when due",
                    e.getMessage());
            state.dropWeightsIntent();
        }
    }

    private static List<Integer> box(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static String describe(double[] weights) {
        StringBuilder text = new StringBuilder();
        Integer[] order = new Integer[weights.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
        for (int i = 0; i < Math.min(5, order.length) && weights[order[i]] > 0; i++) {
            text.append(i == 0 ? "" : ", ")
                    .append("uid ")
                    .append(order[i])
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.4f", weights[order[i]]));
        }
        return text.toString();
    }

    private static String describe(WeightsIntent intent) {
        double[] weights = new double
                [intent.uids().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        double total = intent.values().stream().mapToInt(Integer::intValue).sum();
        for (int i = 0; i < intent.uids().size(); i++) {
            weights[intent.uids().get(i)] = total > 0 ? intent.values().get(i) / total : 0;
        }
        return describe(weights);
    }
}
