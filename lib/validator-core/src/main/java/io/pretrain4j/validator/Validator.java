package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.validator.ModelEvaluator.StepAbandoned;
import io.pretrain4j.validator.state.StateStore;
import io.pretrain4j.validator.state.ValidatorState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The validator's main loop (REFERENCE.md section 1), one iteration at a time on one thread: refresh the metagraph
 * when due, sync models (per-uid cadence, top-model scan, retries), run one competition's step (round-robin), save the
 * state, set weights when due, clean the model store.
 *
 * <p>The reference runs the model updates, weight setting and cleaning on their own threads; here they run between
 * steps on the loop's thread, which keeps every state change in one place and makes a crash lose at most the step in
 * progress. A model's load and evaluation run on a worker thread with the per-model time limit.
 *
 * <p>This class sequences the iteration and picks a step's models; its collaborators hold the rest: {@link
 * MetagraphView} (the metagraph and what follows from it), {@link ModelSync} (commitments and background downloads),
 * {@link StepEvaluator} (seed, windows, every model of the step through {@link ModelEvaluator}), {@link StepRecorder}
 * (a scored step into the state), {@link StepPublisher} (step log, run logger, table), {@link WeightSetter} (prepared,
 * set and recovered weights) and {@link StoreCleaner}.
 */
public final class Validator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Validator.class.getName());

    private final ValidatorSettings config;
    private final LoopServices services;
    private final PrintWriter out;
    private final StateStore store;
    private final StepPublisher publisher;
    private final WeightSetter weights;
    private final ValidatorState state;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ModelEvaluator evaluator;
    private final StepRecorder recorder;
    private final ModelSync sync;
    private final MetagraphView view;
    private final StepEvaluator stepEvaluator;
    private final StoreCleaner cleaner;

    /**
     * @param config the loop's settings
     * @param services the adapters
     * @param store where the state persists (the port; {@link StateStore#jsonFile} is its first adapter)
     * @param stateDir where the step log lives
     * @param clock wall time, for cadences
     * @param out where step tables go (operators read them)
     */
    public Validator(
            ValidatorSettings config,
            LoopServices services,
            StateStore store,
            Path stateDir,
            Clock clock,
            PrintWriter out) {
        this.config = requireNonNull(config, "config is null");
        this.services = requireNonNull(services, "services is null");
        requireNonNull(clock, "clock is null");
        this.out = requireNonNull(out, "out is null");
        this.store = requireNonNull(store, "store is null");
        this.state = store.load(config.versionKey());
        this.sync = new ModelSync(config, services, state, clock, stopping);
        this.view = new MetagraphView(config, services, state, clock);
        this.evaluator = new ModelEvaluator(config, services, state, stopping);
        this.recorder = new StepRecorder(config, services, state, clock);
        this.weights = new WeightSetter(config, services, state, store, clock);
        this.publisher = new StepPublisher(services, state, stateDir, config.versionKey(), out);
        this.stepEvaluator = new StepEvaluator(config, services, state, evaluator, view, stopping, this::sleep);
        this.cleaner = new StoreCleaner(config, services, state, clock, sync, view);
    }

    /** Asks the loop to stop: the model in progress is abandoned, the state saved, and {@link #run} returns. */
    public void stop() {
        stopping.set(true);
    }

    /** Completed steps (restored from the state at start). */
    public long globalStep() {
        return state.globalStep();
    }

    /** The block the last weights went to chain in (for commit-reveal subnets: the commit's block); 0 before any. */
    public long lastWeightsBlock() {
        return state.weightsSetBlock();
    }

    /**
     * Runs iterations until {@link #stop} or until {@code maxSteps} steps have completed in this
     * run (0: forever). A failing iteration is logged and retried after a pause; it never ends the loop.
     */
    public void run(long maxSteps) {
        long startStep = state.globalStep();
        String engine = services.backend().description();
        LOG.log(
                INFO,
                "Validator {0} starting at step {1} ({2})",
                services.hotkey().ss58Address(),
                startStep,
                engine);
        // steps an earlier process left buffered go out while this one evaluates; then what a crash left
        publisher.resume(view.ownUidAtStart(), () -> store.save(state));
        // a chain with commit-reveal weights reveals pending commits with this hotkey, also those made before a restart
        weights.resume();
        try {
            while (!stopping.get() && (maxSteps == 0 || state.globalStep() - startStep < maxSteps)) {
                Duration pause;
                try {
                    pause = iteration();
                } catch (StepAbandoned e) {
                    break;
                } catch (RuntimeException e) {
                    LOG.log(ERROR, "Validator iteration failed; the same competition is tried after a pause: " + e, e);
                    pause = Duration.ofSeconds(
                            Math.min(60, Math.max(1, config.idleSleep().toSeconds())));
                }
                sleep(pause);
            }
        } finally {
            try {
                store.save(state);
            } catch (RuntimeException e) {
                LOG.log(ERROR, "Cannot save the state on the way out; the last saved one remains: " + e, e);
            }
            LOG.log(INFO, "Validator paused at step {0}; state saved to {1}", state.globalStep(), store.location());
        }
    }

    /** Stops the evaluation workers (a model still running natively is abandoned). */
    @Override
    public void close() {
        evaluator.close();
        sync.close();
    }

    /** One pass: metagraph, sync, a step, save, weights, cleaning; returns the wait before the next (0 unless idle). */
    Duration iteration() {
        long block = services.chain().currentBlock();
        Metagraph metagraph = view.refresh();
        List<Competition> active = services.schedule().constraintsAt(block);
        if (active.isEmpty()) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "the schedule has no competition at block " + block);
        }
        state.retainCompetitions(active.stream().map(Competition::id).toList());

        sync.applyDownloads();
        sync.sync(metagraph, block, active);
        sync.applyDownloads();
        Competition competition = active.get((int) (state.globalStep() % active.size()));
        if (state.idle(competition.id()) && sync.downloading()) {
            // nothing to evaluate in this competition yet: wait for what is downloading rather than run an empty step
            sync.awaitDownloads();
        }
        store.save(state);

        boolean evaluated = runStep(active, competition, block);
        state.stepDone();
        weights.prepareWeightsIfDue(active, block);
        // the step's result and the weights about to be set are on disk before anything is published
        store.save(state);
        CrashPoints.reach("step-saved", out);
        publisher.publishSteps();
        CrashPoints.reach("step-published", out);
        weights.setPreparedWeights();
        CrashPoints.reach("weights-set", out);
        cleaner.cleanIfDue();
        store.save(state);
        boolean idle = !evaluated && active.stream().allMatch(c -> state.idle(c.id())) && !sync.downloading();
        return idle ? config.idleSleep() : Duration.ZERO;
    }

    /** Runs one competition's step; false when it had nothing to evaluate. */
    private boolean runStep(List<Competition> active, Competition competition, long block) {
        Optional<StepEvaluator.Evaluated> step = stepEvaluator.run(competition, block);
        step.ifPresent(
                e -> recorder.record(view.current(), active, competition, block, e.seed(), e.tasks(), e.results()));
        return step.isPresent();
    }

    private void sleep(Duration pause) {
        Pause.sleep(pause, stopping);
    }
}
