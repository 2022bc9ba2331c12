package io.pretrain4j.app.validator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.adapters.chain.subtensor.FakeSubtensor;
import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.app.validator.demo.Demo;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.validator.*;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator loop, unchanged, on a subnet with commit-reveal weights on: the fake subtensor node
 * (real JSON-RPC, signed extrinsics, the chain's commit-reveal rules and epochs, a drand beacon whose
 * pulses follow the chain's time). Timelocked commits are revealed by the chain; hash commits by the
 * validator's chain adapter, also after a restart and a runtime upgrade between commit and reveal.
 */
class ValidatorCommitRevealIT {
    private static final int NETUID = 9;
    private static final int TEMPO = 10;

    @TempDir
    Path dir;

    @Test
    void timelockedWeightsLandAfterTheRevealEpochAcrossARuntimeUpgrade() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.withCommitReveal(NETUID, TEMPO)) {
            Subnet subnet = subnet(node, "auto");
            int validatorUid = subnet.validatorUid;
            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
                validator.run(1);
                assertThat(node.extrinsics()).containsSubsequence("commit_timelocked_mechanism_weights@spec425");
                assertThat(node.weightsOf(validatorUid))
                        .as("nothing in the clear before the reveal")
                        .isEmpty();
                node.upgradeMovingCommitRevealCalls(426);
                node.advance(2 * (TEMPO + 1) + 5);
                assertThat(node.reveals()).singleElement().asString().startsWith("applied uid " + validatorUid);
                assertThat(node.weightsOf(validatorUid)).containsExactly(subnet.minerUid + ":65535");
                // the adapter saw them land and forgot the commit
                await(() -> pending(subnet).equals("[ ]"), "the timelocked commit confirmed");
            }
        }
    }

    @Test
    void hashCommitsAreRevealedByTheValidatorAfterARestartAndARuntimeUpgrade() throws Exception {
        try (FakeSubtensor node = FakeSubtensor.withCommitReveal(NETUID, TEMPO)) {
            Subnet subnet = subnet(node, "hash");
            int validatorUid = subnet.validatorUid;
            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
                validator.run(1);
            }
            assertThat(node.extrinsics()).endsWith("commit_weights@spec425");
            String pending = pending(subnet);
            assertThat(pending).contains("\"HASH\"", "\"COMMITTED\"", "\"salt\"");
            long revealBlock = Long.parseLong(pending.replaceAll("(?s).*\"revealBlock\" : (\\d+).*", "$1"));

            // between the commit and its reveal: the validator is down, and the runtime moves the calls
            node.upgradeMovingCommitRevealCalls(426);
            node.advance(Math.max(1, revealBlock - node.current()));
            try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                    Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
                validator.run(1);
                await(() -> !node.weightsOf(validatorUid).isEmpty(), "the reveal after the restart");
            }
            assertThat(node.extrinsics()).containsSubsequence("commit_weights@spec425", "reveal_weights@spec426");
            assertThat(node.weightsOf(validatorUid)).containsExactly(subnet.minerUid + ":65535");
            assertThat(node.dispatchErrors()).isEmpty();
        }
    }

    @Test
    void onTheLocalChainWithCommitRevealTheWeightsAppearOnlyOnceTheChainRevealsThem() throws Exception {
        LocalSubnet subnet = LocalSubnet.create(
                dir.resolve("local"),
                0,
                "\npretrain4j.chain.backend-config { commit-reveal = true, tempo = " + TEMPO + " }\n");
        CountedModels counted = subnet.counted(40, 16);
        Hotkey miner = subnet.miner("miner");
        subnet.commit(miner, subnet.publish(miner, "miner/bigram", counted.write(dir.resolve("models/local"), true)));
        subnet.advance(Demo.EVAL_BLOCK_DELAY + 2);
        long committedAt;
        try (ValidatorRuntime runtime = ValidatorRuntime.open(Optional.of(subnet.config));
                Validator validator = runtime.validator(new PrintWriter(new StringWriter(), true))) {
            validator.run(1);
            committedAt = validator.lastWeightsBlock();
        }
        try (Chain chain = subnet.chain()) {
            assertThat(committedAt).isPositive();
            assertThat(chain.weights(subnet.validator.ss58Address()))
                    .as("committed, not yet revealed")
                    .isEmpty();
            subnet.advance(2 * (TEMPO + 1));
            var revealed = chain.weights(subnet.validator.ss58Address()).orElseThrow();
            assertThat(revealed.block()).isGreaterThan(committedAt);
            assertThat(revealed.uids()).containsExactly(subnet.uid(miner));
        }
    }

    // ---------------------------------------------------------------- a subnet on the fake node

    private record Subnet(Path config, int validatorUid, int minerUid) {}

    private Subnet subnet(FakeSubtensor node, String commitReveal) throws IOException {
        Files.writeString(dir.resolve("schedule.json"), Demo.scheduleJson(128, 2), StandardCharsets.UTF_8);
        String text = Demo.configText(dir, 0)
                .replace("wallet = demo-validator", "wallet = validator")
                .replaceAll("chain\\.backend-config \\{[^}]*}", """
                        chain.backend = subtensor
                          chain.backend-config { endpoint = "%s", netuid = %d, commit-reveal = %s, reveal-poll = 100ms, drand-key = "%s" }""".formatted(
                                node.endpoint(), NETUID, commitReveal, node.drandKey()));
        Path config = dir.resolve("validator.conf");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        var injector = Bootstrap.injector(Optional.of(config));
        Chains chains = injector.getInstance(Chains.class);
        Wallets wallets = chains.wallets(Optional.empty());
        Hotkey validator = wallets.create("validator", "default");
        Hotkey miner = wallets.create("miner", "default");
        int validatorUid = node.register(validator.publicKey(), 100_000L * 1_000_000_000L);
        int minerUid = node.register(miner.publicKey(), 0);

        Tokenizer tokenizer =
                injector.getInstance(io.pretrain4j.launcher.Data.class).tokenizer("gpt2");
        List<int[]> documents;
        try (TextDataset dataset =
                injector.getInstance(io.pretrain4j.launcher.Data.class).dataset("local")) {
            List<String> texts = Demo.allDocuments(dataset);
            documents = EvalWindows.tokenize(tokenizer, texts.subList(0, Math.min(40, texts.size())));
        }
        Path model = CountedModels.count(documents, tokenizer.vocabSize(), 16, tokenizer.eosTokenId())
                .write(dir.resolve("models/bigram"), true);
        try (RemoteModelStore hub = injector.getInstance(Stores.class).remote();
                Chain chain = chains.chain()) {
            String commit = hub.publish("miner/bigram", model, false);
            String chainString = ModelId.of(
                            "miner",
                            "bigram",
                            Optional.of(commit),
                            Optional.empty(),
                            Optional.of(ModelHashes.secureHash(ModelFiles.hash(model), miner.ss58Address())),
                            Demo.COMPETITION)
                    .toChainString();
            chain.commit(miner, chainString);
        }
        // past the eval delay, to the last block of an epoch: the weights commit opens the next one, so its reveal is a
        // whole epoch away (a commit in an epoch's last block would be due at once, before the restart the test wants)
        long target = (node.current() + Demo.EVAL_BLOCK_DELAY + 2 + TEMPO - 1) / TEMPO * TEMPO;
        node.advance(target - node.current());
        return new Subnet(config, validatorUid, minerUid);
    }

    private String pending(Subnet subnet) {
        Path file = dir.resolve("state/subtensor/weight-commits-netuid-" + NETUID + ".json");
        try {
            return Files.exists(file) ? Files.readString(file).trim() : "(none)";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
