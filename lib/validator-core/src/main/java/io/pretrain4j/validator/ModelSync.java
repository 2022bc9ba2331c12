package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.scoring.RetryRule;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.validator.state.Evaluated;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.ValidatorState;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The model side of the loop: looks at commitments (per-uid cadence, the retry rule, the top-model
 * scan), downloads in the background while the loop evaluates (the reference's update thread overlaps
 * them the same way), and completes finished downloads on the loop's thread, where every state change
 * happens. Split out of {@link Validator} (issue 20 review).
 */
final class ModelSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelSync.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final Clock clock;
    private final AtomicBoolean stopping;
    private final ModelUpdater updater;
    private final ExecutorService downloads = Executors.newFixedThreadPool(
            2, Thread.ofPlatform().daemon().name("fetch-model-", 0).factory());
    private final Map<String, InFlight> downloading = new LinkedHashMap<>();
    private int nextUid;

    ModelSync(
            ValidatorSettings config,
            LoopServices services,
            ValidatorState state,
            Clock clock,
            AtomicBoolean stopping) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.clock = clock;
        this.stopping = stopping;
        this.updater = new ModelUpdater(services, state);
    }

    /** A download running in the background, and what it is for. */
    private record InFlight(ModelUpdater.Fetch fetch, Future<ModelUpdater.Downloaded> result) {}

    /** Whether any download is running. */
    boolean downloading() {
        return !downloading.isEmpty();
    }

    /** The models being downloaded (the store cleaning keeps them). */
    Set<ModelKey> inFlightKeys() {
        Set<ModelKey> keys = new HashSet<>();
        downloading.values().forEach(inFlight -> keys.add(inFlight.fetch().key()));
        return keys;
    }

    @Override
    public void close() {
        downloads.shutdownNow();
    }

    void sync(Metagraph metagraph, long block, List<Competition> active) {
        Map<String, Commitment> commitments = services.chain().commitments();
        long now = clock.millis();
        if (now - state.topModelScanAtMs() >= config.topModelScanCadence().toMillis()) {
            scanTopModels(metagraph, commitments, block);
            state.topModelsScanned(now);
        }
        List<Neuron> neurons = metagraph.neurons();
        if (neurons.isEmpty()) {
            return;
        }
        int start = nextUid % neurons.size();
        for (int i = 0; i < neurons.size() && !stopping.get(); i++) {
            if (state.inFlightCount() + downloading.size() >= config.updatedModelsLimit()) {
                LOG.log(
                        INFO,
                        "{0} model(s) are waiting for evaluation or downloading (limit {1}); later uids are synced after the next step",
                        state.inFlightCount() + downloading.size(),
                        config.updatedModelsLimit());
                nextUid = (start + i) % neurons.size();
                return;
            }
            Neuron neuron = neurons.get((start + i) % neurons.size());
            if (neuron.hotkey().equals(services.hotkey().ss58Address())) {
                continue;
            }
            Long checked = state.checkedAtMs(neuron.uid());
            if (checked != null && now - checked < config.chainUpdateCadence().toMillis()) {
                continue;
            }
            Optional<Commitment> commitment = Optional.ofNullable(commitments.get(neuron.hotkey()));
            ModelUpdater.Outcome outcome = syncOne(neuron, commitment, block, false);
            if (outcome == ModelUpdater.Outcome.UNCHANGED
                    && !state.uidsInFlight().contains(neuron.uid())
                    && !downloading.containsKey(neuron.hotkey())) {
                TrackedModel tracked = state.model(neuron.hotkey());
                Optional<Competition> competition = active.stream()
                        .filter(c -> c.id() == tracked.competitionId())
                        .findFirst();
                if (tracked.rejection().isEmpty()
                        && competition.isPresent()
                        && RetryRule.shouldRetry(
                                tracked.retryHistoryOf(tracked.competitionId()),
                                block,
                                competition.get().constraints().epsilon())) {
                    LOG.log(INFO, "uid {0}: evaluating {1} again (retry rule)", neuron.uid(), tracked.repoId());
                    syncOne(neuron, commitment, block, true);
                }
            }
            if (outcome != ModelUpdater.Outcome.TOO_RECENT) {
                state.checked(neuron.uid(), now);
            }
        }
        nextUid = start;
    }

    /**
     * Checks one uid's commitment on this thread; a model to fetch that the local store already
     * holds is completed at once, any other is downloaded in the background and completed by
     * {@link #applyDownloads}.
     */
    private ModelUpdater.Outcome syncOne(Neuron neuron, Optional<Commitment> commitment, long block, boolean force) {
        InFlight running = downloading.get(neuron.hotkey());
        if (running != null
                && commitment.isPresent()
                && running.fetch().commitment().equals(commitment.get())) {
            return ModelUpdater.Outcome.UNCHANGED;
        }
        try {
            ModelUpdater.Decision decision = updater.check(neuron, commitment, block, force);
            if (decision.fetch().isEmpty()) {
                return decision.outcome();
            }
            ModelUpdater.Fetch fetch = decision.fetch().get();
            Optional<StoredModel> present = services.local().find(fetch.key());
            if (present.isPresent()) {
                return updater.complete(fetch, new ModelUpdater.Downloaded(present, "", Optional.empty(), 0));
            }
            downloading.put(neuron.hotkey(), new InFlight(fetch, downloads.submit(() -> updater.download(fetch))));
            LOG.log(
                    INFO,
                    "uid {0}: downloading {1}@{2} in the background",
                    neuron.uid(),
                    fetch.id().repoId(),
                    ModelUpdater.abbreviate(fetch.key().commit()));
            return decision.outcome();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "uid " + neuron.uid() + ": sync failed: " + e.getMessage(), e);
            return ModelUpdater.Outcome.REJECTED;
        }
    }

    /** Completes the downloads that have finished (the checks after a download run on this thread). */
    void applyDownloads() {
        var entries = downloading.entrySet().iterator();
        while (entries.hasNext()) {
            InFlight inFlight = entries.next().getValue();
            if (!inFlight.result().isDone()) {
                continue;
            }
            entries.remove();
            ModelUpdater.Downloaded downloaded;
            try {
                downloaded = inFlight.result().get();
            } catch (ExecutionException e) {
                downloaded = new ModelUpdater.Downloaded(
                        Optional.empty(), String.valueOf(e.getCause()), Optional.empty(), 0);
            } catch (InterruptedException | CancellationException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                continue;
            }
            try {
                updater.complete(inFlight.fetch(), downloaded);
            } catch (RuntimeException e) {
                LOG.log(
                        WARNING,
                        "uid " + inFlight.fetch().neuron().uid()
                                + ": checking the download failed; the model is rejected for this" + " commitment: "
                                + e.getMessage(),
                        e);
                updater.failed(inFlight.fetch(), e);
            }
        }
    }

    /** Waits for every running download (or a stop), then completes them. */
    void awaitDownloads() {
        LOG.log(INFO, "Waiting for {0} download(s) before the step", downloading.size());
        for (InFlight inFlight : List.copyOf(downloading.values())) {
            while (!inFlight.result().isDone() && !stopping.get()) {
                try {
                    inFlight.result().get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException | CancellationException e) {
                    // done, failed (completed as a failure below) or still running
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping.set(true);
                }
            }
        }
        applyDownloads();
    }

    /** Force-syncs the uids that staked validators weight heavily ({@code _queue_top_models_for_eval}). */
    private void scanTopModels(Metagraph metagraph, Map<String, Commitment> commitments, long block) {
        Set<Integer> top = new TreeSet<>();
        for (Neuron validator : metagraph.neurons()) {
            if (!validator.validatorPermit() || validator.stakeTao() < config.topModelMinStake()) {
                continue;
            }
            Optional<WeightsSet> weights;
            try {
                weights = services.chain().weights(validator.hotkey());
            } catch (Pretrain4jException e) {
                LOG.log(
                        WARNING,
                        "Top-model scan: cannot read the weights of uid {0}: {1}",
                        validator.uid(),
                        e.getMessage());
                continue;
            }
            if (weights.isEmpty()) {
                continue;
            }
            int[] uids = weights.get().uids();
            int[] values = weights.get().weights();
            long total = Arrays.stream(values).asLongStream().sum();
            for (int i = 0; i < uids.length; i++) {
                if (total > 0 && values[i] >= config.topModelMinShare() * total) {
                    top.add(uids[i]);
                }
            }
        }
        for (int uid : top) {
            if (state.uidsInFlight().contains(uid)) {
                continue;
            }
            Optional<Neuron> neuron =
                    metagraph.neurons().stream().filter(n -> n.uid() == uid).findFirst();
            if (neuron.isEmpty()
                    || neuron.get().hotkey().equals(services.hotkey().ss58Address())) {
                continue;
            }
            TrackedModel tracked = state.model(neuron.get().hotkey());
            if (tracked != null) {
                List<Evaluated> history = tracked.historyOf(tracked.competitionId());
                if (!history.isEmpty()
                        && block - history.get(history.size() - 1).block() < config.modelRetryCadence()) {
                    continue;
                }
            }
            LOG.log(INFO, "uid {0} is a top model of a staked validator: syncing it now", uid);
            syncOne(
                    neuron.get(),
                    Optional.ofNullable(commitments.get(neuron.get().hotkey())),
                    block,
                    true);
        }
    }
}
