package io.pretrain4j.validator;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.eval.OutputSanity;
import io.pretrain4j.domain.eval.TextLoss;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.EvalTask;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.ValidatorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Evaluates one model of a step: finds its files, then loads it, runs the generation check and the
 * losses of every task on a worker thread within the per-model time limit (a model past it, or one
 * that fails, scores +inf with the reason). Split out of {@link Validator} (issue 20 review).
 */
final class ModelEvaluator implements AutoCloseable {
    private final ValidatorSettings config;
    private final LoopServices services;
    private final ValidatorState state;
    private final AtomicBoolean stopping;
    private final ExecutorService workers = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("eval-model-", 0).factory());

    ModelEvaluator(ValidatorSettings config, LoopServices services, ValidatorState state, AtomicBoolean stopping) {
        this.config = config;
        this.services = services;
        this.state = state;
        this.stopping = stopping;
    }

    record TaskWindows(EvalTask task, EvalWindows.Result windows, double loadSeconds) {}

    record ModelResult(
            double score,
            Map<String, Double> taskScores,
            double[] losses,
            String reason,
            double loadSeconds,
            double evalSeconds,
            int windows) {
        static ModelResult failed(String reason) {
            return new ModelResult(Double.POSITIVE_INFINITY, Map.of(), new double[0], reason, 0, 0, 0);
        }
    }

    /** Loads and evaluates the model of {@code neuron} on a worker within the per-model time limit; any failure is +inf with its reason. */
    ModelResult evaluate(Optional<Neuron> neuron, Competition competition, List<TaskWindows> tasks) {
        if (neuron.isEmpty()) {
            return ModelResult.failed("uid is no longer in the metagraph");
        }
        TrackedModel tracked = state.model(neuron.get().hotkey());
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
            stored = found.isPresent()
                    ? found.get()
                    : services.local()
                            .fetch(
                                    key,
                                    services.remote(),
                                    competition.constraints().maxBytes());
        } catch (RuntimeException e) {
            return ModelResult.failed("model files unavailable: " + e.getMessage());
        }
        if (!stored.hash().equals(tracked.hash())) {
            return ModelResult.failed("the stored files' hash " + stored.hash()
                    + " differs from the one checked at sync, " + tracked.hash());
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
            return ModelResult.failed(
                    cause instanceof Pretrain4jException ? cause.getMessage() : String.valueOf(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StepAbandoned();
        }
    }

    private ModelResult evaluateStored(
            StoredModel stored, ModelKey key, Competition competition, List<TaskWindows> tasks) {
        long started = System.nanoTime();
        try (LocalModelStore.Lease lease = services.local().lease(key);
                CausalLanguageModel model = services.backend().load(stored.directory())) {
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            long evalStarted = System.nanoTime();
            if (config.sanityCheck()) {
                List<int[]> windows = tasks.get(0).windows().windows();
                if (windows.size() >= 2 && windows.get(0).length >= OutputSanity.PROMPT_TOKENS) {
                    int[] first = model.generateGreedy(
                            Arrays.copyOf(windows.get(0), OutputSanity.PROMPT_TOKENS),
                            OutputSanity.NEW_TOKENS,
                            model.eosTokenId());
                    int[] second = model.generateGreedy(
                            Arrays.copyOf(windows.get(1), OutputSanity.PROMPT_TOKENS),
                            OutputSanity.NEW_TOKENS,
                            model.eosTokenId());
                    if (!OutputSanity.isReasonable(first, second)) {
                        return new ModelResult(
                                Double.POSITIVE_INFINITY,
                                Map.of(),
                                new double[0],
                                "failed the generation check (repetitive or identical output for two prompts)",
                                loadSeconds,
                                0,
                                0);
                    }
                }
            }
            Map<String, Double> taskScores = new LinkedHashMap<>();
            List<Double> allLosses = new ArrayList<>();
            List<TextLoss.WeightedTask> weighted = new ArrayList<>();
            int windows = 0;
            for (TaskWindows task : tasks) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Pretrain4jException(InferenceErrorCode.MODEL_INVALID, "abandoned");
                }
                double[] losses = model.windowLosses(task.windows().windows());
                windows += losses.length;
                for (double loss : losses) {
                    allLosses.add(loss);
                }
                double value = TextLoss.taskValue(losses);
                taskScores.put(task.task().name(), value);
                weighted.add(new TextLoss.WeightedTask(task.task().weight(), value));
            }
            // the scoring rule (weighted mean of the tasks, +inf when any failed) is the domain's
            double score = TextLoss.score(weighted);
            double evalSeconds = (System.nanoTime() - evalStarted) / 1e9;
            String reason = Double.isFinite(score) ? "" : "a window's loss is not finite (NaN or infinite logits)";
            return new ModelResult(
                    score,
                    taskScores,
                    allLosses.stream().mapToDouble(Double::doubleValue).toArray(),
                    reason,
                    loadSeconds,
                    evalSeconds,
                    windows);
        }
    }

    static final class StepAbandoned extends RuntimeException {
        StepAbandoned() {
            super("step abandoned for shutdown", null, false, false);
        }
    }

    /** Stops the workers (a model still running natively is abandoned). */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
