package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.random.DataSeed;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.EvalTask;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.validator.ModelEvaluator.ModelResult;
import io.pretrain4j.validator.ModelEvaluator.StepAbandoned;
import io.pretrain4j.validator.ModelEvaluator.TaskWindows;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.ValidatorState;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A step's evaluation: the seed from the sync block's hash, each TEXT_LOSS task's windows (a task
 * whose data fails is skipped and the others renormalised), and every model of the step through
 * {@link ModelEvaluator} (one at a time, time-limited), logged as it goes. The seam a distributed
 * evaluation engine goes behind.
 */
final class StepEvaluator {
    private static final System.Logger LOG = System.getLogger(StepEvaluator.class.getName());
    private static final int DEFAULT_PAGES = 15;
    private static final String TEXT_LOSS = "TEXT_LOSS";

    /** A step's evaluation: its seed, the tasks' windows and each model's result. */
    record Evaluated(BigInteger seed, List<TaskWindows> tasks, Map<Integer, ModelResult> results) {}

    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final ModelEvaluator evaluator;
    private final MetagraphView view;
    private final AtomicBoolean stopping;
    private final Consumer<Duration> sleep;
    private final Set<Integer> warnedCompetitions = new HashSet<>();

    StepEvaluator(
            ValidatorSettings config,
            LoopServices services,
            ValidatorState state,
            ModelEvaluator evaluator,
            MetagraphView view,
            AtomicBoolean stopping,
            Consumer<Duration> sleep) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.evaluator = evaluator;
        this.view = view;
        this.stopping = stopping;
        this.sleep = sleep;
    }

    /**
     * Evaluates {@code competition}'s models for a step at {@code block}: the models to evaluate (with
     * those pending), its TEXT_LOSS tasks, the seed, the windows and every model. Empty when there is
     * nothing to evaluate (no model, or no task this validator runs).
     */
    Optional<Evaluated> run(Competition competition, long block) {
        Set<Integer> uids = state.takeForStep(competition.id());
        if (uids.isEmpty()) {
            LOG.log(INFO, "Step {0}: no model to evaluate in {1}", state.globalStep(), competition.name());
            return Optional.empty();
        }
        List<EvalTask> textTasks = competition.evalTasks().stream()
                .filter(t -> t.method().equals(TEXT_LOSS))
                .toList();
        if (textTasks.isEmpty()) {
            if (warnedCompetitions.add(competition.id())) {
                LOG.log(
                        WARNING,
                        "Competition {0} has no TEXT_LOSS task ({1}); this validator does not evaluate it",
                        competition.name(),
                        competition.evalTasks().stream()
                                .map(EvalTask::method)
                                .distinct()
                                .toList());
            }
            return Optional.empty();
        }
        long syncBlock = DataSeed.syncBlock(block);
        BigInteger seed = seedOf(syncBlock);
        LOG.log(
                INFO,
                "Step {0}: {1} at block {2}, {3} model(s) {4}, seed from block {5}",
                state.globalStep(),
                competition.name(),
                block,
                uids.size(),
                uids,
                syncBlock);
        List<TaskWindows> tasks = windows(competition, textTasks, seed);
        return Optional.of(new Evaluated(seed, tasks, evaluate(competition, uids, tasks)));
    }

    /** The windows of each task; fails only when no task could load its data. */
    List<TaskWindows> windows(Competition competition, List<EvalTask> textTasks, BigInteger seed) {
        List<TaskWindows> tasks = new ArrayList<>();
        for (EvalTask task : textTasks) {
            String dataset = config.datasetFor(task.dataset());
            int pages = numPages(task);
            long started = System.nanoTime();
            try {
                EvalWindows.Result windows = services.data()
                        .windows(
                                dataset,
                                competition.constraints().tokenizer(),
                                new EvalWindows.Request(
                                        seed, pages, competition.constraints().sequenceLength(), config.maxWindows()));
                double seconds = (System.nanoTime() - started) / 1e9;
                LOG.log(
                        INFO,
                        "  task {0}: {1} window(s) of {2} tokens from {3} page(s) of {4} in {5} s",
                        task.name(),
                        windows.windows().size(),
                        competition.constraints().sequenceLength(),
                        windows.pages().size(),
                        dataset,
                        String.format(Locale.ROOT, "%.2f", seconds));
                if (windows.windows().isEmpty()) {
                    throw new Pretrain4jException(
                            DatasetErrorCode.DATASET_INVALID,
                            "no complete window of " + competition.constraints().sequenceLength() + " tokens");
                }
                tasks.add(new TaskWindows(task, windows, seconds));
            } catch (RuntimeException e) {
                LOG.log(
                        WARNING,
                        "  task {0} skipped: dataset {1} failed: {2}; the other tasks'' weights are renormalised",
                        task.name(),
                        dataset,
                        e.getMessage());
            }
        }
        if (tasks.isEmpty()) {
            throw new Pretrain4jException(
                    DatasetErrorCode.DATASET_UNAVAILABLE,
                    "step " + state.globalStep() + ": no task of " + competition.name() + " could load its data");
        }
        return tasks;
    }

    /** Every model of the step, in uid order; a shutdown abandons the step. */
    Map<Integer, ModelResult> evaluate(Competition competition, Set<Integer> uids, List<TaskWindows> tasks) {
        Map<Integer, ModelResult> results = new TreeMap<>();
        int index = 0;
        for (int uid : uids) {
            if (stopping.get()) {
                throw new StepAbandoned();
            }
            index++;
            ModelResult result = evaluator.evaluate(view.neuron(uid), competition, tasks);
            results.put(uid, result);
            Optional<TrackedModel> tracked = view.neuron(uid).map(n -> state.model(n.hotkey()));
            String name = tracked.map(t -> t.repoId() + "@" + ModelUpdater.abbreviate(t.commit()))
                    .orElse("?");
            if (Double.isFinite(result.score())) {
                LOG.log(
                        INFO,
                        "  [{0}/{1}] uid {2} {3}: load {4} s, {5} windows in {6} s ({7} windows/s), score {8}",
                        index,
                        uids.size(),
                        uid,
                        name,
                        fmt(result.loadSeconds()),
                        result.windows(),
                        fmt(result.evalSeconds()),
                        fmt(result.windows() / Math.max(result.evalSeconds(), 1e-9)),
                        String.format(Locale.ROOT, "%.4f", result.score()));
            } else {
                LOG.log(
                        WARNING,
                        "  [{0}/{1}] uid {2} {3}: scores +inf: {4}",
                        index,
                        uids.size(),
                        uid,
                        name,
                        result.reason());
            }
        }
        return results;
    }

    /** The step's seed from the hash of the sync block, read with retries; never a random fallback. */
    BigInteger seedOf(long syncBlock) {
        RuntimeException last = null;
        long delay = 1000;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return DataSeed.fromBlockHash(services.chain().blockHash(syncBlock));
            } catch (RuntimeException e) {
                last = e;
                LOG.log(
                        WARNING,
                        "Cannot read the hash of sync block {0} (attempt {1} of 3): {2}",
                        syncBlock,
                        attempt,
                        e.getMessage());
                if (attempt < 3) {
                    sleep.accept(Duration.ofMillis(delay));
                    delay *= 2;
                }
            }
        }
        // the reference falls back to a random seed here and so evaluates on pages no other validator uses
        throw new Pretrain4jException(
                ChainErrorCode.UNKNOWN_BLOCK,
                "cannot read the hash of sync block " + syncBlock
                        + "; the step is retried rather than run on unshared pages: " + last.getMessage(),
                last);
    }

    private static int numPages(EvalTask task) {
        String value = task.datasetKwargs().get("num_pages");
        if (value == null) {
            return DEFAULT_PAGES;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "task " + task.name() + ": num_pages '" + value + "' is not a number");
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
