package io.pretrain4j.app.validator.cli;

import io.pretrain4j.launcher.cli.ChainCommand;
import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.launcher.cli.Logging;
import io.pretrain4j.launcher.cli.WalletCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/pretrain4j}: the validator's commands. */
@Command(
        name = "pretrain4j",
        mixinStandardHelpOptions = true,
        version = "pretrain4j 0.1.0-SNAPSHOT",
        description = "Runs and audits a Bittensor pretraining (subnet 9 style) validator.",
        footer = {"", "Benchmarks: bin/pretrain4j bench --help (their own module, started by the script)."},
        subcommands = {
            DemoCommand.class,
            ValidatorCommand.class,
            LeaderboardCommand.class,
            ScoreCommand.class,
            AuditCommand.class,
            HashCommand.class,
            EvalLossCommand.class,
            DatasetCommand.class,
            StoreCommand.class,
            ChainCommand.class,
            WalletCommand.class,
            PluginsCommand.class
        })
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        Logging.checkFileNameEncoding();
        Logging.configureLogging();
        System.exit(commandLine().execute(args));
    }

    /** The command line with pretrain4j's failure handling; tests run commands through it. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new Failures());
    }
}
