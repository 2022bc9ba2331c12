package io.pretrain4j.app.validator.cli;

import io.pretrain4j.app.validator.demo.Demo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: a whole subnet on this machine, end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Creates a local chain, a validator and three miners, publishes three small models of different quality",
            "(untrained; fitted on the shipped corpus by counting: unigram, bigram) to a local hub, commits them on chain,",
            "runs validator steps until weights are set, and prints the leaderboard and the weights on chain.",
            "No account, key or network is needed; about a minute on two CPU cores."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--dir",
            paramLabel = "<dir>",
            defaultValue = "demo-run",
            description =
                    "where the demo's chain, wallets, hub, models and state live (rebuilt on every run; default: ${DEFAULT-VALUE})")
    private Path dir;

    @Option(
            names = "--steps",
            paramLabel = "<n>",
            defaultValue = "2",
            description = "validator steps to run (default: ${DEFAULT-VALUE})")
    private int steps;

    @Option(
            names = "--commit-reveal",
            description = {
                "run the local subnet with commit-reveal weights on, as mainnet subnets are:",
                "the validator's weights are committed and the chain reveals them an epoch later"
            })
    private boolean commitReveal;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (steps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be at least 1");
        }
        return new Demo(dir, spec.commandLine().getOut(), commitReveal)
                        .run(steps)
                        .isEmpty()
                ? 1
                : 0;
    }
}
