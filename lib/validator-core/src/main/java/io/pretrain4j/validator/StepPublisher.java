package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.validator.state.StepReport;
import io.pretrain4j.validator.state.UnpublishedStep;
import io.pretrain4j.validator.state.ValidatorState;
import java.io.PrintWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * Publishes the steps the loop recorded in its state: to the run logger, the step log and the printed
 * table, each idempotent by step number, so that publishing again after a crash neither repeats nor
 * loses a step (issue 20). Split out of {@link Validator}.
 */
final class StepPublisher {
    private static final System.Logger LOG = System.getLogger(StepPublisher.class.getName());

    private final LoopServices services;
    private final ValidatorState state;
    private final StepLog stepLog;
    private final PrintWriter out;
    private final long versionKey;
    private final Path runLogDirectory;
    private boolean runLogStarted;

    StepPublisher(LoopServices services, ValidatorState state, Path stateDir, long versionKey, PrintWriter out) {
        this.services = services;
        this.state = state;
        this.stepLog = new StepLog(stateDir.resolve(StepLog.FILE));
        this.out = out;
        this.versionKey = versionKey;
        this.runLogDirectory = stateDir.resolve("run-log");
    }

    /**
     * Publishes the recorded steps, oldest first: the run logger (which ignores a step number it
     * already took), the step log (which skips a step number it already holds), the printed table.
     * Run after the state holding them is saved, and again at start for what a crash left, so each
     * step is published once whatever moment a crash hits.
     */
    /** At start: the run log is started for {@code ownUid}, and steps a crash left recorded but unpublished go out, then {@code save}. */
    void resume(int ownUid, Runnable save) {
        startRunLog(ownUid);
        if (!state.unpublished().isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "Publishing {0} step(s) recorded before the restart",
                    state.unpublished().size());
            publishSteps();
            save.run();
        }
    }

    void publishSteps() {
        while (!state.unpublished().isEmpty()) {
            UnpublishedStep step = state.unpublished().get(0);
            reportStep(step.step(), step.line());
            try {
                if (!stepLog.append(step.step(), step.line())) {
                    LOG.log(INFO, "Step {0} is in the step log already (published before a restart)", step.step());
                }
            } catch (RuntimeException e) {
                LOG.log(WARNING, "Cannot append step {0} to the step log: {1}", step.step(), e.getMessage());
            }
            StepReport report = state.lastSteps().get(step.competitionId());
            if (report != null && report.globalStep() == step.step()) {
                Leaderboard.printStep(out, report, new TreeSet<>(step.kept()));
                out.flush();
            }
            state.published();
        }
    }

    /**
     * Hands the step to the run logger (started on the first step, with the validator's uid); the
     * logger buffers and returns at once, and a failure here never touches the step.
     */
    private void reportStep(long step, String line) {
        startRunLog(-1); // a no-op unless the start of run() could not start it
        try {
            services.runLogger().log(step, line);
        } catch (RuntimeException e) {
            LOG.log(
                    WARNING,
                    "The run logger {0} failed on step {1}: {2}",
                    services.runLogger().id(),
                    step,
                    e.getMessage());
        }
    }

    /** Starts the run logger once, with the validator's uid (-1 when not registered) and its buffer under the state directory. */
    void startRunLog(int uid) {
        if (runLogStarted) {
            return;
        }
        runLogStarted = true;
        try {
            services.runLogger()
                    .start(new RunLogger.RunInfo(
                            services.hotkey().ss58Address(), uid, versionKey, softwareVersion(), runLogDirectory));
        } catch (RuntimeException e) {
            LOG.log(
                    WARNING,
                    "The run logger {0} did not start: {1}",
                    services.runLogger().id(),
                    e.getMessage());
        }
    }

    /** pretrain4j's version from the module descriptor (set at build), or {@code dev} when run from classes. */
    static String softwareVersion() {
        ModuleDescriptor descriptor = StepPublisher.class.getModule().getDescriptor();
        return descriptor == null ? "dev" : descriptor.rawVersion().orElse("dev");
    }
}
