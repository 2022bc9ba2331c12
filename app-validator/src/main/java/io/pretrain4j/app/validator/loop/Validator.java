package io.pretrain4j.app.validator.loop;

import io.pretrain4j.app.validator.config.LoopConfig;
import io.pretrain4j.app.validator.loop.ValidatorState.Row;
import io.pretrain4j.app.validator.loop.ValidatorState.StepReport;
import io.pretrain4j.app.validator.loop.ValidatorState.TrackedModel;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Secrets;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.eval.OutputSanity;
import io.pretrain4j.domain.eval.TextLoss;
import io.pretrain4j.domain.random.DataSeed;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.EvalTask;
import io.pretrain4j.domain.scoring.ChainWeights;
import io.pretrain4j.domain.scoring.CompetitionWeights;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.RetryRule;
import io.pretrain4j.domain.scoring.Selection;
import io.pretrain4j.domain.scoring.StepScore;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.ports.dataset.EvalWindows;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.store.StoredModel;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * The validator's main loop (REFERENCE.md section 1), one iteration at a time on one thread: refresh
 * the metagraph when due, sync models (per-uid cadence, top-model scan, retries), run one
 * competition's step (round-robin), save the state, set weights when due, clean the model store.
 *
 * <p>The reference runs the model updates, weight setting and cleaning on their own threads; here
 * they run between steps on the loop's thread, which keeps every state change in one place and
 * makes a crash lose at most the step in progress. A model's load and evaluation run on a worker
 * thread with the per-model time limit.
 */
public final class Validator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Validator.class.getName());
    private static final String TEXT_LOSS = "TEXT_LOSS";
    private static final int DEFAULT_PAGES = 15;

    private final LoopConfig config;
    private final LoopServices services;
    private final Clock clock;
    private final PrintWriter out;
    private final StateStore store;
    private final StepLog stepLog;
    private final ValidatorState state;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService workers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("eval-model-", 0).factory());
    /** Downloads run here while the loop evaluates (the reference's update thread overlaps them the same way). */
    private final ExecutorService downloads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("fetch-model-", 0).factory());
    private final Map<String, InFlight> downloading = new LinkedHashMap<>();
    private final ModelUpdater updater;
    private Metagraph metagraph;
    private long metagraphAtMs;
    private long cleanedAtMs;
    private int nextUid;
    private final Set<Integer> warnedCompetitions = new HashSet<>();
    private final Path stateDir;
    private boolean runLogStarted;

    /**
     * @param config the loop's settings
     * @param services the adapters
     * @param stateDir where the state and the step log live
     * @param clock wall time, for cadences
     * @param out where step tables go (operators read them)
     */
    public Validator(LoopConfig config, LoopServices services, Path stateDir, Clock clock, PrintWriter out) {
        this.config = requireNonNull(config, "config is null");
        this.services = requireNonNull(services, "services is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.out = requireNonNull(out, "out is null");
        this.stateDir = stateDir;
        this.store = new StateStore(stateDir, clock);
        this.stepLog = new StepLog(stateDir.resolve(StepLog.FILE));
        this.state = store.load(config.versionKey());
        this.updater = new ModelUpdater(services, state);
    }

    /** A download running in the background, and what it is for. */
    private record InFlight(ModelUpdater.Fetch fetch, Future<ModelUpdater.Downloaded> result) {}

    /** Asks the loop to stop: the model in progress is abandoned, the state saved, and {@link #run} returns. */
    public void stop() {
        stopping.set(true);
    }

    /** The number of completed steps (restored from the state at start). */
    public long globalStep() {
        return state.globalStep;
    }

    /**
     * Runs iterations until {@link #stop} or until {@code maxSteps} steps have completed in this
     * run (0: forever). A failing iteration is logged and retried after a pause; it never ends the loop.
     */
    public void run(long maxSteps) {
        long startStep = state.globalStep;
        LOG.log(INFO, "Validator {0} starting at step {1} ({2})", services.hotkey().ss58Address(), state.globalStep,
                services.backend().description());
        int ownUid = -1;
        try {
            Metagraph current = services.chain().metagraph();
            Optional<Neuron> self = current.byHotkey(services.hotkey().ss58Address());
            ownUid = self.map(Neuron::uid).orElse(-1);
            if (self.isEmpty()) {
                LOG.log(WARNING, "The validator''s hotkey {0} is not registered on netuid {1}: it evaluates, but cannot set weights until it is",
                        services.hotkey().ss58Address(), current.netuid());
            } else if (!self.get().validatorPermit()) {
                LOG.log(WARNING, "The validator (uid {0}) has no validator permit: the chain refuses its weights until it has one (more stake)",
                        self.get().uid());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot read the metagraph at start: {0}", e.getMessage());
        }
        // started now, so steps an earlier process left buffered go out while this one evaluates
        startRunLog(ownUid);
        // what a crash left between saving a step and publishing it
        if (!state.unpublished.isEmpty()) {
            LOG.log(INFO, "Publishing {0} step(s) recorded before the restart", state.unpublished.size());
            publishSteps();
            store.save(state);
        }
        resolvePreparedWeights();
        try {
            while (!stopping.get() && (maxSteps == 0 || state.globalStep - startStep < maxSteps)) {
                Duration pause;
                try {
                    pause = iteration();
                } catch (StepAbandoned e) {
                    break;
                } catch (RuntimeException e) {
                    LOG.log(ERROR, "Validator iteration failed; the same competition is tried again after a pause: " + e.getMessage(), e);
                    pause = Duration.ofSeconds(Math.min(60, Math.max(1, config.idleSleep().toSeconds())));
                }
                sleep(pause);
            }
        } finally {
            try {
                store.save(state);
            } catch (RuntimeException e) {
                LOG.log(ERROR, "Cannot save the state on the way out; the last saved state (at most one step older) remains: " + e.getMessage(), e);
            }
            LOG.log(INFO, "Validator paused at step {0}; state saved to {1}", state.globalStep, store.file());
        }
    }

    /** Stops the evaluation workers (a model still running natively is abandoned). */
    @Override
    public void close() {
        workers.shutdownNow();
        downloads.shutdownNow();
    }

    /**
     * One pass: metagraph, model sync, one step, save, weights, cleaning. Returns how long to wait
     * before the next one (zero unless nothing could be evaluated).
     */
    Duration iteration() {
        long block = services.chain().currentBlock();
        refreshMetagraph();
        List<Competition> active = services.schedule().constraintsAt(block);
        if (active.isEmpty()) {
            throw new Pretrain4jException(io.pretrain4j.ports.PortErrorCode.INVALID_CONFIG, "the schedule has no competition at block " + block);
        }
        Set<Integer> activeIds = new TreeSet<>(active.stream().map(Competition::id).toList());
        state.uidsToEval.keySet().retainAll(activeIds);
        state.pending.keySet().retainAll(activeIds);
        state.competitionWeights.keySet().retainAll(activeIds);

        applyDownloads();
        syncModels(block, active);
        applyDownloads();
        Competition competition = active.get((int) (state.globalStep % active.size()));
        if (isEmpty(competition) && !downloading.isEmpty()) {
            // nothing to evaluate in this competition yet: wait for what is downloading rather than run an empty step
            awaitDownloads();
        }
        store.save(state);

        boolean evaluated = runStep(competition, block);
        state.globalStep++;
        prepareWeightsIfDue(active, block);
        // the step's result and the weights about to be set are on disk before anything is published
        store.save(state);
        CrashPoints.reach("step-saved");
        publishSteps();
        CrashPoints.reach("step-published");
        setPreparedWeights();
        CrashPoints.reach("weights-set");
        cleanIfDue();
        store.save(state);
        boolean allEmpty = active.stream().allMatch(c -> state.uidsToEval.getOrDefault(c.id(), new TreeSet<>()).isEmpty()
                && state.pending.getOrDefault(c.id(), new TreeSet<>()).isEmpty());
        return !evaluated && allEmpty && downloading.isEmpty() ? config.idleSleep() : Duration.ZERO;
    }

    private void refreshMetagraph() {
        long now = clock.millis();
        if (metagraph == null || now - metagraphAtMs >= config.metagraphRefresh().toMillis()) {
            Metagraph fresh = services.chain().metagraph();
            if (metagraph != null) {
                Set<String> hotkeys = new HashSet<>();
                fresh.neurons().forEach(n -> hotkeys.add(n.hotkey()));
                state.models.keySet().removeIf(hotkey -> !hotkeys.contains(hotkey));
            }
            metagraph = fresh;
            metagraphAtMs = now;
            int size = fresh.neurons().stream().mapToInt(Neuron::uid).max().orElse(-1) + 1;
            if (size != state.neurons) {
                CompetitionWeights weights = CompetitionWeights.of(Math.max(state.neurons, 0), state.competitionWeights).resize(size);
                state.competitionWeights.clear();
                for (int id : weights.competitions()) {
                    state.competitionWeights.put(id, weights.weightsOf(id));
                }
                state.neurons = size;
            }
            // a uid now held by another hotkey is a new miner: it must not inherit the old one's place
            for (Set<Integer> uids : List.of(flatten(state.uidsToEval), flatten(state.pending))) {
                for (int uid : uids) {
                    Optional<Neuron> neuron = neuron(uid);
                    TrackedModel tracked = neuron.map(n -> state.models.get(n.hotkey())).orElse(null);
                    if (tracked == null) {
                        state.uidsToEval.values().forEach(set -> set.remove(uid));
                        state.pending.values().forEach(set -> set.remove(uid));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- model sync

    private void syncModels(long block, List<Competition> active) {
        Map<String, Commitment> commitments = services.chain().commitments();
        long now = clock.millis();
        if (now - state.topModelScanAtMs >= config.topModelScanCadence().toMillis()) {
            scanTopModels(updater, commitments, block);
            state.topModelScanAtMs = now;
        }
        List<Neuron> neurons = metagraph.neurons();
        if (neurons.isEmpty()) {
            return;
        }
        int start = nextUid % neurons.size();
        for (int i = 0; i < neurons.size() && !stopping.get(); i++) {
            if (state.inFlightCount() + downloading.size() >= config.updatedModelsLimit()) {
                LOG.log(INFO, "{0} model(s) are waiting for evaluation or downloading (limit {1}); later uids are synced after the next step",
                        state.inFlightCount() + downloading.size(), config.updatedModelsLimit());
                nextUid = (start + i) % neurons.size();
                return;
            }
            Neuron neuron = neurons.get((start + i) % neurons.size());
            if (neuron.hotkey().equals(services.hotkey().ss58Address())) {
                continue;
            }
            Long checked = state.checkedAtMs.get(neuron.uid());
            if (checked != null && now - checked < config.chainUpdateCadence().toMillis()) {
                continue;
            }
            Optional<Commitment> commitment = Optional.ofNullable(commitments.get(neuron.hotkey()));
            ModelUpdater.Outcome outcome = syncOne(updater, neuron, commitment, block, false);
            if (outcome == ModelUpdater.Outcome.UNCHANGED && !state.uidsInFlight().contains(neuron.uid())
                    && !downloading.containsKey(neuron.hotkey())) {
                TrackedModel tracked = state.models.get(neuron.hotkey());
                Optional<Competition> competition = active.stream().filter(c -> c.id() == tracked.competitionId()).findFirst();
                if (tracked.rejection().isEmpty() && competition.isPresent()
                        && RetryRule.shouldRetry(tracked.retryHistoryOf(tracked.competitionId()), block, competition.get().constraints().epsilon())) {
                    LOG.log(INFO, "uid {0}: evaluating {1} again (retry rule)", neuron.uid(), tracked.repoId());
                    syncOne(updater, neuron, commitment, block, true);
                }
            }
            if (outcome != ModelUpdater.Outcome.TOO_RECENT) {
                state.checkedAtMs.put(neuron.uid(), now);
            }
        }
        nextUid = start;
    }

    /**
     * Checks one uid's commitment on this thread; a model to fetch that the local store already
     * holds is completed at once, any other is downloaded in the background and completed by
     * {@link #applyDownloads}.
     */
    private ModelUpdater.Outcome syncOne(ModelUpdater updater, Neuron neuron, Optional<Commitment> commitment, long block, boolean force) {
        InFlight running = downloading.get(neuron.hotkey());
        if (running != null && commitment.isPresent() && running.fetch().commitment().equals(commitment.get())) {
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
            LOG.log(INFO, "uid {0}: downloading {1}@{2} in the background", neuron.uid(), fetch.id().repoId(),
                    ModelUpdater.abbreviate(fetch.key().commit()));
            return decision.outcome();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "uid " + neuron.uid() + ": sync failed: " + e.getMessage(), e);
            return ModelUpdater.Outcome.REJECTED;
        }
    }

    /** Completes the downloads that have finished (the checks after a download run on this thread). */
    private void applyDownloads() {
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
                downloaded = new ModelUpdater.Downloaded(Optional.empty(), String.valueOf(e.getCause()), Optional.empty(), 0);
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                continue;
            }
            try {
                updater.complete(inFlight.fetch(), downloaded);
            } catch (RuntimeException e) {
                LOG.log(WARNING, "uid " + inFlight.fetch().neuron().uid() + ": checking the download failed; the model is rejected for this"
                        + " commitment: " + e.getMessage(), e);
                updater.failed(inFlight.fetch(), e);
            }
        }
    }

    /** Waits for every running download (or a stop), then completes them. */
    private void awaitDownloads() {
        LOG.log(INFO, "Waiting for {0} download(s) before the step", downloading.size());
        for (InFlight inFlight : List.copyOf(downloading.values())) {
            while (!inFlight.result().isDone() && !stopping.get()) {
                try {
                    inFlight.result().get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
                    // done, failed (completed as a failure below) or still running
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping.set(true);
                }
            }
        }
        applyDownloads();
    }

    private boolean isEmpty(Competition competition) {
        return state.uidsToEval.getOrDefault(competition.id(), new TreeSet<>()).isEmpty()
                && state.pending.getOrDefault(competition.id(), new TreeSet<>()).isEmpty();
    }

    /** Force-syncs the uids that staked validators weight heavily ({@code _queue_top_models_for_eval}). */
    private void scanTopModels(ModelUpdater updater, Map<String, Commitment> commitments, long block) {
        Set<Integer> top = new TreeSet<>();
        for (Neuron validator : metagraph.neurons()) {
            if (!validator.validatorPermit() || validator.stakeTao() < config.topModelMinStake()) {
                continue;
            }
            Optional<WeightsSet> weights;
            try {
                weights = services.chain().weights(validator.hotkey());
            } catch (Pretrain4jException e) {
                LOG.log(WARNING, "Top-model scan: cannot read the weights of uid {0}: {1}", validator.uid(), e.getMessage());
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
            Optional<Neuron> neuron = neuron(uid);
            if (neuron.isEmpty() || neuron.get().hotkey().equals(services.hotkey().ss58Address())) {
                continue;
            }
            TrackedModel tracked = state.models.get(neuron.get().hotkey());
            if (tracked != null) {
                List<ValidatorState.Evaluated> history = tracked.historyOf(tracked.competitionId());
                if (!history.isEmpty() && block - history.get(history.size() - 1).block() < config.modelRetryCadence()) {
                    continue;
                }
            }
            LOG.log(INFO, "uid {0} is a top model of a staked validator: syncing it now", uid);
            syncOne(updater, neuron.get(), Optional.ofNullable(commitments.get(neuron.get().hotkey())), block, true);
        }
    }

    // ---------------------------------------------------------------- one step

    private record TaskWindows(EvalTask task, EvalWindows.Result windows, double loadSeconds) {}

    private record ModelResult(double score, Map<String, Double> taskScores, double[] losses, String reason, double loadSeconds,
            double evalSeconds, int windows) {
        static ModelResult failed(String reason) {
            return new ModelResult(Double.POSITIVE_INFINITY, Map.of(), new double[0], reason, 0, 0, 0);
        }
    }

    /** Runs one competition's step; false when it had nothing to evaluate. */
    private boolean runStep(Competition competition, long block) {
        TreeSet<Integer> uids = state.uidsToEval.computeIfAbsent(competition.id(), k -> new TreeSet<>());
        TreeSet<Integer> pending = state.pending.remove(competition.id());
        if (pending != null) {
            uids.addAll(pending);
        }
        if (uids.isEmpty()) {
            LOG.log(INFO, "Step {0}: no model to evaluate in {1}", state.globalStep, competition.name());
            return false;
        }
        List<EvalTask> textTasks = competition.evalTasks().stream().filter(t -> t.method().equals(TEXT_LOSS)).toList();
        if (textTasks.isEmpty()) {
            if (warnedCompetitions.add(competition.id())) {
                LOG.log(WARNING, "Competition {0} has no TEXT_LOSS task ({1}); this validator does not evaluate it", competition.name(),
                        competition.evalTasks().stream().map(EvalTask::method).distinct().toList());
            }
            return false;
        }
        long syncBlock = DataSeed.syncBlock(block);
        BigInteger seed = seedOf(syncBlock);
        LOG.log(INFO, "Step {0}: {1} at block {2}, {3} model(s) {4}, seed from block {5}", state.globalStep, competition.name(), block,
                uids.size(), uids, syncBlock);

        List<TaskWindows> tasks = new ArrayList<>();
        for (EvalTask task : textTasks) {
            String dataset = config.datasetFor(task.dataset());
            int pages = numPages(task);
            long started = System.nanoTime();
            try {
                EvalWindows.Result windows = services.data().windows(dataset, competition.constraints().tokenizer(),
                        new EvalWindows.Request(seed, pages, competition.constraints().sequenceLength(), config.maxWindows()));
                double seconds = (System.nanoTime() - started) / 1e9;
                LOG.log(INFO, "  task {0}: {1} window(s) of {2} tokens from {3} page(s) of {4} in {5} s", task.name(), windows.windows().size(),
                        competition.constraints().sequenceLength(), windows.pages().size(), dataset, String.format("%.2f", seconds));
                if (windows.windows().isEmpty()) {
                    throw new Pretrain4jException(io.pretrain4j.ports.dataset.DatasetErrorCode.DATASET_INVALID,
                            "no complete window of " + competition.constraints().sequenceLength() + " tokens");
                }
                tasks.add(new TaskWindows(task, windows, seconds));
            } catch (RuntimeException e) {
                LOG.log(WARNING, "  task {0} skipped: dataset {1} failed: {2}; the other tasks'' weights are renormalised", task.name(),
                        dataset, e.getMessage());
            }
        }
        if (tasks.isEmpty()) {
            throw new Pretrain4jException(io.pretrain4j.ports.dataset.DatasetErrorCode.DATASET_UNAVAILABLE,
                    "step " + state.globalStep + ": no task of " + competition.name() + " could load its data");
        }

        Map<Integer, ModelResult> results = new TreeMap<>();
        int index = 0;
        for (int uid : uids) {
            if (stopping.get()) {
                throw new StepAbandoned();
            }
            index++;
            ModelResult result = evaluate(uid, competition, tasks);
            results.put(uid, result);
            Optional<TrackedModel> tracked = neuron(uid).map(n -> state.models.get(n.hotkey()));
            String name = tracked.map(t -> t.repoId() + "@" + ModelUpdater.abbreviate(t.commit())).orElse("?");
            if (Double.isFinite(result.score())) {
                LOG.log(INFO, "  [{0}/{1}] uid {2} {3}: load {4} s, {5} windows in {6} s ({7} windows/s), score {8}", index, uids.size(), uid,
                        name, fmt(result.loadSeconds()), result.windows(), fmt(result.evalSeconds()),
                        fmt(result.windows() / Math.max(result.evalSeconds(), 1e-9)), String.format("%.4f", result.score()));
            } else {
                LOG.log(WARNING, "  [{0}/{1}] uid {2} {3}: scores +inf: {4}", index, uids.size(), uid, name, result.reason());
            }
        }
        finishStep(competition, block, seed, tasks, results);
        return true;
    }

    private void finishStep(Competition competition, long block, BigInteger seed, List<TaskWindows> tasks, Map<Integer, ModelResult> results) {
        List<ModelEvaluation> evaluations = new ArrayList<>();
        Map<Integer, Double> scores = new TreeMap<>();
        Map<Integer, Long> blocks = new TreeMap<>();
        for (Map.Entry<Integer, ModelResult> entry : results.entrySet()) {
            int uid = entry.getKey();
            long modelBlock = trackedFor(uid, competition).map(TrackedModel::commitBlock).orElse(ModelEvaluation.UNKNOWN_BLOCK);
            blocks.put(uid, modelBlock);
            scores.put(uid, entry.getValue().score());
            evaluations.add(new ModelEvaluation(uid, entry.getValue().score(), modelBlock, entry.getValue().losses()));
        }
        StepScore score = services.policy().score(block, competition.constraints().epsilon(), evaluations);
        CompetitionWeights weights = CompetitionWeights.of(state.neurons, state.competitionWeights);
        if (score.updatesWeights()) {
            weights = weights.record(competition.id(), score.weights(), services.policy().ema());
            state.competitionWeights.put(competition.id(), weights.weightsOf(competition.id()));
        } else {
            LOG.log(WARNING, "Step {0}: no model of {1} is competitive (all failed or were filtered); its weights are unchanged",
                    state.globalStep, competition.name());
        }
        double[] competitionWeights = weights.weightsOf(competition.id());
        Selection selection = Selection.choose(scores, score.winRates(), competitionWeights, config.sampleMin());
        state.uidsToEval.put(competition.id(), new TreeSet<>(selection.kept()));

        Optional<Integer> winner = score.winner();
        long winnerBlock = winner.map(blocks::get).orElse(ModelEvaluation.UNKNOWN_BLOCK);
        double winnerScore = winner.map(scores::get).orElse(Double.POSITIVE_INFINITY);
        for (int uid : results.keySet()) {
            neuron(uid).ifPresent(n -> {
                TrackedModel tracked = state.models.get(n.hotkey());
                if (tracked != null) {
                    state.models.put(n.hotkey(), tracked.withEvaluation(competition.id(),
                            new ValidatorState.Evaluated(block, scores.get(uid), winnerBlock, winnerScore)));
                }
            });
        }

        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, ModelResult> entry : results.entrySet()) {
            int uid = entry.getKey();
            ModelResult result = entry.getValue();
            Optional<TrackedModel> tracked = trackedFor(uid, competition);
            long modelBlock = blocks.get(uid);
            double epsilonAdvantage = modelBlock == ModelEvaluation.UNKNOWN_BLOCK ? 0
                    : competition.constraints().epsilon().epsilon(block, modelBlock);
            rows.add(new Row(uid, neuron(uid).map(Neuron::hotkey).orElse(""),
                    tracked.map(t -> t.repoId() + "@" + t.commit()).orElse(""), modelBlock == ModelEvaluation.UNKNOWN_BLOCK ? -1 : modelBlock,
                    Double.isFinite(result.score()) ? result.score() : null, result.taskScores(), epsilonAdvantage,
                    score.winRates().getOrDefault(uid, 0.0), score.wins().getOrDefault(uid, 0), score.weights().getOrDefault(uid, 0.0),
                    uid < competitionWeights.length ? competitionWeights[uid] : 0.0, result.reason()));
        }
        rows.sort((a, b) -> a.competitionWeight() != b.competitionWeight() ? Double.compare(b.competitionWeight(), a.competitionWeight())
                : Integer.compare(a.uid(), b.uid()));
        Map<String, List<String>> pages = new LinkedHashMap<>();
        for (TaskWindows task : tasks) {
            pages.put(task.task().name(), task.windows().pages().stream().map(p -> task.windows().datasetId() + ":" + p.name()).toList());
        }
        StepReport report = new StepReport(state.globalStep, competition.id(), competition.name(), block, clock.millis(), seed.toString(),
                pages, rows);
        state.lastSteps.put(competition.id(), report);
        double[] subnet = weights.retain(state.competitionWeights.keySet()).subnetWeights(rewardShares());
        List<Double> loadData = tasks.stream().map(TaskWindows::loadSeconds).toList();
        String line = StepLog.toJson(report, subnet, results.values().stream().map(ModelResult::loadSeconds).toList(),
                results.values().stream().map(ModelResult::evalSeconds).toList(), loadData).toString();
        // recorded now, published after the state holding it is saved (publishSteps)
        state.unpublished.add(new ValidatorState.UnpublishedStep(report.globalStep(), competition.id(), Secrets.redact(line),
                List.copyOf(selection.kept())));
    }

    /**
     * Publishes the recorded steps, oldest first: the run logger (which ignores a step number it
     * already took), the step log (which skips a step number it already holds), the printed table.
     * Run after the state holding them is saved, and again at start for what a crash left, so each
     * step is published once whatever moment a crash hits.
     */
    private void publishSteps() {
        while (!state.unpublished.isEmpty()) {
            ValidatorState.UnpublishedStep step = state.unpublished.get(0);
            reportStep(step.step(), step.line());
            try {
                if (!stepLog.append(step.step(), step.line())) {
                    LOG.log(INFO, "Step {0} is in the step log already (published before a restart)", step.step());
                }
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Cannot append step {0} to the step log: {1}", step.step(), e.getMessage());
            }
            StepReport report = state.lastSteps.get(step.competitionId());
            if (report != null && report.globalStep() == step.step()) {
                Leaderboard.printStep(out, report, new TreeSet<>(step.kept()));
                out.flush();
            }
            state.unpublished.remove(0);
        }
    }

    /**
     * Hands the step to the run logger (started on the first step, with the validator's uid); the
     * logger buffers and returns at once, and a failure here never touches the step.
     */
    private void reportStep(long step, String line) {
        if (!runLogStarted) { // only when the start of run() could not read the metagraph
            startRunLog(metagraph == null ? -1 : metagraph.byHotkey(services.hotkey().ss58Address()).map(Neuron::uid).orElse(-1));
        }
        try {
            services.runLogger().log(step, line);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "The run logger {0} failed on step {1}: {2}", services.runLogger().id(), step, e.getMessage());
        }
    }

    /** Starts the run logger once, with the validator's uid (-1 when not registered) and its buffer under the state directory. */
    private void startRunLog(int uid) {
        if (runLogStarted) {
            return;
        }
        runLogStarted = true;
        try {
            services.runLogger().start(new RunLogger.RunInfo(services.hotkey().ss58Address(), uid, config.versionKey(), softwareVersion(),
                    stateDir.resolve("run-log")));
        } catch (RuntimeException e) {
            LOG.log(WARNING, "The run logger {0} did not start: {1}", services.runLogger().id(), e.getMessage());
        }
    }

    /** pretrain4j's version from the module descriptor (set at build), or {@code dev} when run from classes. */
    static String softwareVersion() {
        java.lang.module.ModuleDescriptor descriptor = Validator.class.getModule().getDescriptor();
        return descriptor == null ? "dev" : descriptor.rawVersion().orElse("dev");
    }

    private ModelResult evaluate(int uid, Competition competition, List<TaskWindows> tasks) {
        Optional<Neuron> neuron = neuron(uid);
        if (neuron.isEmpty()) {
            return ModelResult.failed("uid is no longer in the metagraph");
        }
        TrackedModel tracked = state.models.get(neuron.get().hotkey());
        if (tracked == null || tracked.competitionId() != competition.id()) {
            return ModelResult.failed("no model of this hotkey for " + competition.name());
        }
        if (!tracked.rejection().isEmpty()) {
            return ModelResult.failed(tracked.rejection());
        }
        ModelKey key;
        StoredModel stored;
        try {
            key = new ModelKey(tracked.hotkey(), tracked.repoId(), tracked.commit());
            Optional<StoredModel> found = services.local().find(key);
            stored = found.isPresent() ? found.get() : services.local().fetch(key, services.remote(), competition.constraints().maxBytes());
        } catch (RuntimeException e) {
            return ModelResult.failed("model files unavailable: " + e.getMessage());
        }
        if (!stored.hash().equals(tracked.hash())) {
            return ModelResult.failed("the stored files' hash " + stored.hash() + " differs from the one checked at sync, " + tracked.hash());
        }
        Future<ModelResult> future = workers.submit(() -> evaluateStored(stored, key, competition, tasks));
        long deadline = System.nanoTime() + config.modelTimeLimit().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                try {
                    return future.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (stopping.get()) {
                        future.cancel(true);
                        throw new StepAbandoned();
                    }
                }
            }
        } catch (TimeoutException e) {
            future.cancel(true);
            return ModelResult.failed("exceeded the per-model time limit of " + describe(config.modelTimeLimit()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return ModelResult.failed(cause instanceof Pretrain4jException ? cause.getMessage() : String.valueOf(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StepAbandoned();
        }
    }

    private ModelResult evaluateStored(StoredModel stored, ModelKey key, Competition competition, List<TaskWindows> tasks) {
        long started = System.nanoTime();
        try (LocalModelStore.Lease lease = services.local().lease(key);
                CausalLanguageModel model = services.backend().load(stored.directory())) {
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            long evalStarted = System.nanoTime();
            if (config.sanityCheck()) {
                List<int[]> windows = tasks.get(0).windows().windows();
                if (windows.size() >= 2 && windows.get(0).length >= OutputSanity.PROMPT_TOKENS) {
                    int[] first = model.generateGreedy(Arrays.copyOf(windows.get(0), OutputSanity.PROMPT_TOKENS), OutputSanity.NEW_TOKENS,
                            model.eosTokenId());
                    int[] second = model.generateGreedy(Arrays.copyOf(windows.get(1), OutputSanity.PROMPT_TOKENS), OutputSanity.NEW_TOKENS,
                            model.eosTokenId());
                    if (!OutputSanity.isReasonable(first, second)) {
                        return new ModelResult(Double.POSITIVE_INFINITY, Map.of(), new double[0],
                                "failed the generation check (repetitive or identical output for two prompts)", loadSeconds, 0, 0);
                    }
                }
            }
            Map<String, Double> taskScores = new LinkedHashMap<>();
            List<Double> allLosses = new ArrayList<>();
            double weighted = 0;
            double weightSum = 0;
            int windows = 0;
            for (TaskWindows task : tasks) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Pretrain4jException(io.pretrain4j.ports.inference.InferenceErrorCode.MODEL_INVALID, "abandoned");
                }
                double[] losses = model.windowLosses(task.windows().windows());
                windows += losses.length;
                for (double loss : losses) {
                    allLosses.add(loss);
                }
                double value = TextLoss.taskValue(losses);
                taskScores.put(task.task().name(), value);
                weighted += task.task().weight() * value;
                weightSum += task.task().weight();
            }
            double score = weighted / weightSum;
            double evalSeconds = (System.nanoTime() - evalStarted) / 1e9;
            String reason = Double.isFinite(score) ? "" : "a window's loss is not finite (NaN or infinite logits)";
            return new ModelResult(Double.isFinite(score) ? score : Double.POSITIVE_INFINITY, taskScores,
                    allLosses.stream().mapToDouble(Double::doubleValue).toArray(), reason, loadSeconds, evalSeconds, windows);
        }
    }

    private BigInteger seedOf(long syncBlock) {
        RuntimeException last = null;
        long delay = 1000;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return DataSeed.fromBlockHash(services.chain().blockHash(syncBlock));
            } catch (RuntimeException e) {
                last = e;
                LOG.log(WARNING, "Cannot read the hash of sync block {0} (attempt {1} of 3): {2}", syncBlock, attempt, e.getMessage());
                if (attempt < 3) {
                    sleep(Duration.ofMillis(delay));
                    delay *= 2;
                }
            }
        }
        // the reference falls back to a random seed here and so evaluates on pages no other validator uses
        throw new Pretrain4jException(io.pretrain4j.ports.chain.ChainErrorCode.UNKNOWN_BLOCK, "cannot read the hash of sync block "
                + syncBlock + "; the step is retried rather than run on unshared pages: " + last.getMessage(), last);
    }

    private static int numPages(EvalTask task) {
        String value = task.datasetKwargs().get("num_pages");
        if (value == null) {
            return DEFAULT_PAGES;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new Pretrain4jException(io.pretrain4j.ports.PortErrorCode.INVALID_CONFIG, "task " + task.name() + ": num_pages '" + value
                    + "' is not a number");
        }
    }

    // ---------------------------------------------------------------- weights and cleaning

    private Map<Integer, Double> rewardShares() {
        Map<Integer, Double> shares = new HashMap<>();
        long block = metagraph.block();
        for (Competition c : services.schedule().constraintsAt(block)) {
            shares.put(c.id(), c.rewardShare());
        }
        return shares;
    }

    /** The weights the validator would set now, by uid (all zero before the first step). */
    double[] subnetWeights(List<Competition> active) {
        Map<Integer, Double> shares = new HashMap<>();
        active.forEach(c -> shares.put(c.id(), c.rewardShare()));
        return CompetitionWeights.of(state.neurons, state.competitionWeights).subnetWeights(shares);
    }

    /** Records the weights to set when they are due (saved with the step before the chain is asked). */
    private void prepareWeightsIfDue(List<Competition> active, long block) {
        state.weightsIntent = null;
        double[] weights = subnetWeights(active);
        ChainWeights chainWeights = ChainWeights.fromVector(weights);
        if (chainWeights.isEmpty()) {
            return;
        }
        long now = clock.millis();
        if (state.weightsSetAtMs != 0 && now - state.weightsSetAtMs < config.weightsInterval().toMillis()) {
            return;
        }
        if (state.weightsFailedAtMs != 0 && now - state.weightsFailedAtMs < config.weightsRetry().toMillis()) {
            return;
        }
        state.weightsIntent = new ValidatorState.WeightsIntent(box(chainWeights.uids()), box(chainWeights.values()), config.versionKey(),
                block, now);
    }

    /** Sets the prepared weights on chain and records the outcome. */
    private void setPreparedWeights() {
        ValidatorState.WeightsIntent intent = state.weightsIntent;
        if (intent == null) {
            return;
        }
        try {
            long block = services.chain().setWeights(services.hotkey(), intent.uids(), intent.values(), intent.versionKey());
            state.weightsSetAtMs = intent.atMs();
            state.weightsSetBlock = block;
            state.weightsFailedAtMs = 0;
            state.weightsFailure = null;
            LOG.log(INFO, "Set weights on chain at block {0} (version key {1}): {2}", block, intent.versionKey(), describe(intent));
        } catch (RuntimeException e) {
            state.weightsFailedAtMs = intent.atMs();
            state.weightsFailure = e.getMessage();
            LOG.log(WARNING, "Setting weights failed; retrying in {0} s: {1}", config.weightsRetry().toSeconds(), e.getMessage());
        } finally {
            state.weightsIntent = null;
        }
    }

    /**
     * At start: weights a crash left prepared are looked for on chain. Found (the extrinsic landed
     * before the crash), they are recorded as set, so they are not set again before their interval;
     * not found, they are dropped and set again when due.
     */
    private void resolvePreparedWeights() {
        ValidatorState.WeightsIntent intent = state.weightsIntent;
        if (intent == null) {
            return;
        }
        try {
            Optional<io.pretrain4j.ports.chain.WeightsSet> onChain = services.chain().weights(services.hotkey().ss58Address());
            if (onChain.isPresent() && onChain.get().block() >= intent.block()
                    && Arrays.equals(onChain.get().uids(), intent.uids().stream().mapToInt(Integer::intValue).toArray())
                    && Arrays.equals(onChain.get().weights(), intent.values().stream().mapToInt(Integer::intValue).toArray())) {
                state.weightsSetAtMs = intent.atMs();
                state.weightsSetBlock = onChain.get().block();
                state.weightsFailedAtMs = 0;
                state.weightsFailure = null;
                LOG.log(INFO, "The weights prepared before the restart are on chain (block {0}); recorded as set, not set again",
                        onChain.get().block());
            } else {
                LOG.log(INFO, "The weights prepared before the restart are not on chain; they are set again when due");
            }
            state.weightsIntent = null;
            store.save(state);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cannot look for the weights prepared before the restart ({0}); they are set again when due", e.getMessage());
            state.weightsIntent = null;
        }
    }

    private void cleanIfDue() {
        long now = clock.millis();
        if (now - cleanedAtMs < config.cleanInterval().toMillis()) {
            return;
        }
        cleanedAtMs = now;
        Set<ModelKey> keep = new HashSet<>();
        for (int uid : state.uidsInFlight()) {
            neuron(uid).map(n -> state.models.get(n.hotkey())).filter(t -> !t.commit().isEmpty()).ifPresent(t -> {
                try {
                    keep.add(new ModelKey(t.hotkey(), t.repoId(), t.commit()));
                } catch (RuntimeException ignored) {
                    // a tracked model with an unusable key has no files to keep
                }
            });
        }
        downloading.values().forEach(inFlight -> keep.add(inFlight.fetch().key()));
        try {
            LocalModelStore.CleanReport report = services.local().clean(keep, config.cleanGrace());
            if (!report.deleted().isEmpty()) {
                LOG.log(INFO, "Model store: deleted {0} unreferenced model(s), {1} MB freed", report.deleted().size(),
                        String.format("%.1f", report.freedBytes() / 1e6));
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Model store cleaning failed: {0}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Neuron> neuron(int uid) {
        return metagraph.neurons().stream().filter(n -> n.uid() == uid).findFirst();
    }

    private Optional<TrackedModel> trackedFor(int uid, Competition competition) {
        return neuron(uid).map(n -> state.models.get(n.hotkey())).filter(t -> t.competitionId() == competition.id());
    }

    private static Set<Integer> flatten(Map<Integer, TreeSet<Integer>> sets) {
        Set<Integer> all = new TreeSet<>();
        sets.values().forEach(all::addAll);
        return all;
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
            text.append(i == 0 ? "" : ", ").append("uid ").append(order[i]).append(' ').append(String.format("%.4f", weights[order[i]]));
        }
        return text.toString();
    }

    private static String describe(ValidatorState.WeightsIntent intent) {
        double[] weights = new double[intent.uids().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        double total = intent.values().stream().mapToInt(Integer::intValue).sum();
        for (int i = 0; i < intent.uids().size(); i++) {
            weights[intent.uids().get(i)] = total > 0 ? intent.values().get(i) / total : 0;
        }
        return describe(weights);
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String fmt(double value) {
        return String.format("%.2f", value);
    }

    private void sleep(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        while (!stopping.get() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping.set(true);
            }
        }
    }

    /** The step in progress was abandoned for a shutdown; nothing of it is recorded. */
    private static final class StepAbandoned extends RuntimeException {
        StepAbandoned() {
            super("step abandoned for shutdown", null, false, false);
        }
    }
}
