package io.pretrain4j.app.validator.cli;

import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.validator.Validator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code validator}: the continuous evaluation loop. */
@Command(
        name = "validator",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the validator: syncs miners' models from the chain, evaluates one competition per step on the",
            "pages every validator draws from the sync block's hash, and sets weights. State is saved after every step",
            "(pretrain4j.validator.state-dir) and restored at start; SIGTERM (Ctrl-C) abandons the model in progress,",
            "saves the state and exits."
        })
public final class ValidatorCommand implements Callable<Integer> {
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--max-steps",
            paramLabel = "<n>",
            description = "stop after this many steps (default: run until stopped)")
    private long maxSteps;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ValidatorRuntime runtime = ValidatorRuntime.open(config.file());
                Validator validator = runtime.validator(out)) {
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        validator.stop();
                        try {
                            if (!finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                                System.err.println("pretrain4j: the validator did not stop within "
                                        + SHUTDOWN_WAIT_SECONDS + " s");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "validator-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                validator.run(maxSteps);
                // straight to stderr: java.util.logging may already be shut down by a SIGTERM
                spec.commandLine()
                        .getErr()
                        .println("pretrain4j: validator stopped after step " + validator.globalStep()
                                + "; state saved in " + runtime.settings().stateDir());
                spec.commandLine().getErr().flush();
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for the latch released above
                }
            }
        }
        return 0;
    }
}
