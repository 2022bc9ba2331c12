package io.pretrain4j.app.validator.cli;

import io.pretrain4j.app.validator.ValidatorSection;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.validator.Leaderboard;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leaderboard}: the latest step of each competition, read from the validator's state. */
@Command(
        name = "leaderboard",
        mixinStandardHelpOptions = true,
        description =
                "Prints the latest step of every competition from the validator's state file (it may be running).")
public final class LeaderboardCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(
            names = "--state-dir",
            paramLabel = "<dir>",
            description = "the state directory (default: validator.state-dir)")
    private Path stateDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = stateDir != null
                ? stateDir
                : Path.of(Bootstrap.settings(config.file(), ValidatorSection.INSTANCE)
                        .stateDir());
        return Leaderboard.print(spec.commandLine().getOut(), dir) ? 0 : 1;
    }
}
