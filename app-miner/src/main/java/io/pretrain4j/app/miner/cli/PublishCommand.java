package io.pretrain4j.app.miner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.pretrain4j.app.miner.MinerRuntime;
import io.pretrain4j.app.miner.publish.Publisher;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.store.RemoteModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code publish}: the reference's upload script for an existing model directory. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a model directory against the competition's constraints, uploads it to the configured store,",
            "commits its id and hotkey-bound hash on chain (waiting out the commitment rate limit), and reads the",
            "commitment back. Prints {repo, commit, hash, chainString, block} as JSON."
        })
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(
            names = {"--dir", "--load-model-dir"},
            required = true,
            paramLabel = "<dir>",
            description = "the model directory")
    Path dir;

    @Option(
            names = {"--repo", "--hf-repo-id"},
            required = true,
            paramLabel = "<ns/name>",
            description = "the repo to publish to (at most 38 characters)")
    String repo;

    @Option(names = "--competition-id", required = true, paramLabel = "<id>", description = "the competition to enter")
    int competitionId;

    @Option(names = "--wallet", paramLabel = "<name>", description = "default: pretrain4j.miner.wallet")
    String wallet;

    @Option(names = "--hotkey", paramLabel = "<name>", description = "default: pretrain4j.miner.hotkey")
    String hotkey;

    @Option(
            names = {"--make-public", "--update-repo-visibility"},
            description = "make the repo public after the commit")
    boolean makePublic;

    @Option(
            names = "--retry-delay",
            defaultValue = "60s",
            description = "wait between commit attempts when rate limited (default: ${DEFAULT-VALUE})")
    String retryDelay;

    @Option(
            names = "--max-wait",
            defaultValue = "1h",
            description = "give up after waiting this long in all (default: ${DEFAULT-VALUE})")
    String maxWait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "--dir " + dir + " is not a directory");
        }
        MinerRuntime runtime = MinerRuntime.load(config.file());
        try (Chain chain = runtime.chains().chain();
                RemoteModelStore remote = runtime.stores().remote()) {
            Competition competition = runtime.competition(chain, competitionId);
            Publisher publisher = new Publisher(
                    remote,
                    chain,
                    runtime.chains().wallets(Optional.empty()),
                    spec.commandLine().getErr(),
                    d -> Thread.sleep(d.toMillis()),
                    duration(retryDelay, "--retry-delay"),
                    duration(maxWait, "--max-wait"));
            Publisher.Result result = publisher.publish(
                    dir,
                    repo,
                    competition,
                    runtime.data().tokenizer(competition.constraints().tokenizer()),
                    runtime.hotkey(Optional.ofNullable(wallet), Optional.ofNullable(hotkey)),
                    makePublic);
            spec.commandLine()
                    .getOut()
                    .println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        return 0;
    }

    static Duration duration(String text, String option) {
        try {
            return ConfigFactory.parseString("d = " + text).getDuration("d");
        } catch (ConfigException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, option + " '" + text + "' is not a duration such as 60s or 5m");
        }
    }
}
