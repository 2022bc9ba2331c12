package io.pretrain4j.app.miner.cli;

import io.pretrain4j.launcher.cli.ChainCommand;
import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.launcher.cli.Logging;
import io.pretrain4j.launcher.cli.WalletCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/pretrain4j-miner}: the miner's commands. */
@Command(
        name = "pretrain4j-miner",
        mixinStandardHelpOptions = true,
        version = "pretrain4j 0.1.0-SNAPSHOT",
        description =
                "Trains, evaluates, publishes and commits models for a Bittensor pretraining (subnet 9 style) competition.",
        subcommands = {
            TrainCommand.class,
            PublishCommand.class,
            MinerBenchCommand.class,
            ChainCommand.class,
            WalletCommand.class
        })
public final class MinerMain implements Runnable {
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
        return new CommandLine(new MinerMain()).setExecutionExceptionHandler(new Failures());
    }
}
