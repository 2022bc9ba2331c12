package io.pretrain4j.app.validator.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.app.validator.demo.Demo;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.validator.*;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A local subnet in a directory for tests: the demo's config, wallets, registrations, publishing and commits. */
final class LocalSubnet {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path config;
    final Injector injector;
    final PluginRegistry registry;
    final Wallets wallets;
    final Hotkey validator;

    private LocalSubnet(Path dir, Path config, Injector injector) {
        this.dir = dir;
        this.config = config;
        this.injector = injector;
        this.registry = injector.getInstance(PluginRegistry.class);
        this.wallets = injector.getInstance(Chains.class).wallets(Optional.empty());
        this.validator = wallets.create("validator", "default");
        try (Chain chain = chain()) {
            ((ChainAdmin) chain).register(validator.ss58Address(), validator.ss58Address(), 100_000L * 1_000_000_000L);
        }
    }

    /** A subnet with sequence length 128, 2 pages per step, and {@code extra} config appended. */
    static LocalSubnet create(Path dir, int weightsRateLimit, String extra) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("schedule.json"), Demo.scheduleJson(128, 2), StandardCharsets.UTF_8);
        Path config = dir.resolve("validator.conf");
        Files.writeString(
                config,
                Demo.configText(dir, weightsRateLimit).replace("wallet = demo-validator", "wallet = validator") + extra,
                StandardCharsets.UTF_8);
        return new LocalSubnet(dir, config, Bootstrap.injector(Optional.of(config)));
    }

    Chain chain() {
        return injector.getInstance(Chains.class).chain();
    }

    Hotkey miner(String name) {
        Hotkey hotkey = wallets.create(name, "default");
        try (Chain chain = chain()) {
            ((ChainAdmin) chain).register(hotkey.ss58Address(), hotkey.ss58Address(), 0);
        }
        return hotkey;
    }

    int uid(Hotkey hotkey) {
        try (Chain chain = chain()) {
            return chain.metagraph()
                    .byHotkey(hotkey.ss58Address())
                    .orElseThrow()
                    .uid();
        }
    }

    /** Publishes {@code model} to the configured store as {@code repo} and returns the chain string {@code miner} would commit. */
    String publish(Hotkey miner, String repo, Path model) {
        return publish(miner, repo, model, miner);
    }

    /**
     * Publishes as {@link #publish(Hotkey, String, Path)}, but a store that signs uploads gets
     * {@code signer}'s signature under {@code miner}'s name (a forged upload when they differ).
     */
    String publish(Hotkey miner, String repo, Path model, Hotkey signer) {
        try (RemoteModelStore hub = injector.getInstance(Stores.class).remote()) {
            String commit = hub.publish(
                    repo,
                    model,
                    false,
                    PublishingKey.of(miner.ss58Address(), message -> wallets.sign(signer, message)));
            String[] parts = repo.split("/");
            return ModelId.of(
                            parts[0],
                            parts[1],
                            Optional.of(commit),
                            Optional.empty(),
                            Optional.of(ModelHashes.secureHash(ModelFiles.hash(model), miner.ss58Address())),
                            Demo.COMPETITION)
                    .toChainString();
        }
    }

    long commit(Hotkey miner, String chainString) {
        try (Chain chain = chain()) {
            return chain.commit(miner, chainString);
        }
    }

    void advance(long blocks) {
        try (Chain chain = chain()) {
            ((ChainAdmin) chain).advance(blocks);
        }
    }

    /** The first {@code documents} of the shipped corpus, tokenized with gpt2. */
    List<int[]> corpus(int documents) {
        Data data = injector.getInstance(Data.class);
        try (TextDataset dataset = data.dataset("local")) {
            List<String> texts = Demo.allDocuments(dataset);
            return EvalWindows.tokenize(data.tokenizer("gpt2"), texts.subList(0, Math.min(documents, texts.size())));
        }
    }

    Tokenizer gpt2() {
        return injector.getInstance(Data.class).tokenizer("gpt2");
    }

    CountedModels counted(int documents, int hidden) {
        Tokenizer tokenizer = gpt2();
        return CountedModels.count(corpus(documents), tokenizer.vocabSize(), hidden, tokenizer.eosTokenId());
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    JsonNode state() throws IOException {
        return JSON.readTree(stateDir().resolve("state.json").toFile());
    }
}
