package io.pretrain4j.app.validator.demo;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import io.pretrain4j.app.validator.ValidatorRuntime;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.validator.Leaderboard;
import io.pretrain4j.validator.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The README's first command: a whole subnet on one machine. It creates a local chain, a
 * validator and three miners, publishes three small models of different quality to the local hub
 * (untrained, and fitted by counting on the shipped corpus: unigram and bigram), commits them on
 * chain and runs validator steps until weights are set; then prints the leaderboard and the
 * weights on chain. Everything lives under one directory, which a second run starts afresh.
 */
public final class Demo {
    /** The demo's competition id. */
    public static final int COMPETITION = 1;
    /** Blocks a commitment must age before the demo validator evaluates it. */
    public static final int EVAL_BLOCK_DELAY = 5;

    static final String MARKER = ".pretrain4j-demo";
    private static final int HIDDEN = 128;
    private static final int SEQUENCE_LENGTH = 256;
    private static final long VALIDATOR_STAKE_RAO = 100_000L * 1_000_000_000L;
    private static final int WEIGHTS_RATE_LIMIT = 100;

    /** One miner of the demo: its wallet name, repo and what kind of model it publishes. */
    public record Miner(String wallet, String repo, String kind) {}

    /** The demo's miners, in commit order. */
    public static final List<Miner> MINERS = List.of(
            new Miner("demo-miner-1", "demo/untrained", "untrained"),
            new Miner("demo-miner-2", "demo/unigram", "unigram"),
            new Miner("demo-miner-3", "demo/bigram", "bigram"));

    /** The demo chain's epoch length when commit-reveal is on (blocks). */
    static final int COMMIT_REVEAL_TEMPO = 10;

    private final Path dir;
    private final PrintWriter out;
    private final boolean commitReveal;

    public Demo(Path dir, PrintWriter out) {
        this(dir, out, false);
    }

    /**
     * With {@code commitReveal}, the local chain has commit-reveal weights on, as mainnet subnets do: weights are
     * committed and revealed an epoch later.
     */
    public Demo(Path dir, PrintWriter out, boolean commitReveal) {
        this.dir = requireNonNull(dir, "dir is null").toAbsolutePath().normalize();
        this.out = requireNonNull(out, "out is null");
        this.commitReveal = commitReveal;
    }

    /** The config file the demo writes and its validator runs on. */
    public Path configFile() {
        return dir.resolve("validator.conf");
    }

    /** Sets up the subnet and runs {@code steps} validator steps; returns the weights on chain by uid. */
    public Map<Integer, Integer> run(int steps) throws IOException {
        long started = System.nanoTime();
        prepareDirectory();
        Files.writeString(dir.resolve("schedule.json"), scheduleJson(SEQUENCE_LENGTH, 4), StandardCharsets.UTF_8);
        String text = configText(dir, WEIGHTS_RATE_LIMIT);
        if (commitReveal) {
            text = text.replace(
                    "weights-rate-limit = " + WEIGHTS_RATE_LIMIT + " }",
                    "weights-rate-limit = " + WEIGHTS_RATE_LIMIT + ", commit-reveal = true, tempo = "
                            + COMMIT_REVEAL_TEMPO + " }");
        }
        Files.writeString(configFile(), text, StandardCharsets.UTF_8);
        say("1/5 Local subnet in " + dir + " (config: " + configFile().getFileName() + ")"
                + (commitReveal
                        ? "; commit-reveal weights on (tempo " + COMMIT_REVEAL_TEMPO
                                + " blocks, revealed one epoch after the commit)"
                        : ""));

        Injector injector = ValidatorRuntime.injector(Optional.of(configFile()));
        Chains chains = injector.getInstance(Chains.class);
        Wallets wallets = chains.wallets(Optional.empty());
        Hotkey validator = wallets.create("demo-validator", "default");
        List<Hotkey> miners = new ArrayList<>();
        for (Miner miner : MINERS) {
            miners.add(wallets.create(miner.wallet(), "default"));
        }
        try (Chain chain = chains.chain()) {
            ChainAdmin admin = admin(chain);
            int uid = admin.register(validator.ss58Address(), validator.ss58Address(), VALIDATOR_STAKE_RAO);
            say("    registered the validator as uid " + uid + " (" + validator.ss58Address() + ", 100000 TAO staked)");
            for (int i = 0; i < miners.size(); i++) {
                int minerUid = admin.register(
                        miners.get(i).ss58Address(), miners.get(i).ss58Address(), 0);
                say("    registered " + MINERS.get(i).wallet() + " as uid " + minerUid + " ("
                        + miners.get(i).ss58Address() + ")");
            }

            say("2/5 Fitting the miners' models on the shipped corpus");
            Data data = injector.getInstance(Data.class);
            Tokenizer tokenizer = data.tokenizer("gpt2");
            List<int[]> documents;
            try (TextDataset corpus = data.dataset("local")) {
                documents = EvalWindows.tokenize(tokenizer, allDocuments(corpus));
            }
            CountedModels counted =
                    CountedModels.count(documents, tokenizer.vocabSize(), HIDDEN, tokenizer.eosTokenId());
            say("    " + documents.size() + " documents, " + counted.tokens() + " tokens (gpt2 tokenizer)");
            Path modelsDir = dir.resolve("miner-models");
            List<Path> modelDirs = new ArrayList<>();
            for (Miner miner : MINERS) {
                Path target = modelsDir.resolve(miner.kind());
                switch (miner.kind()) {
                    case "untrained" -> counted.writeUntrained(target, 42);
                    case "unigram" -> counted.write(target, false);
                    default -> counted.write(target, true);
                }
                modelDirs.add(target);
            }
            say("    wrote 3 Llama models of " + counted.spec(0).parameterCount()
                    + " parameters: untrained (random), unigram, bigram");

            say("3/5 Publishing to the local hub and committing on chain");
            try (RemoteModelStore hub = injector.getInstance(Stores.class).remote()) {
                for (int i = 0; i < MINERS.size(); i++) {
                    Miner miner = MINERS.get(i);
                    String commit = hub.publish(miner.repo(), modelDirs.get(i), false);
                    String hash = ModelFiles.hash(modelDirs.get(i));
                    String[] repo = miner.repo().split("/");
                    String chainString = ModelId.of(
                                    repo[0],
                                    repo[1],
                                    Optional.of(commit),
                                    Optional.empty(),
                                    Optional.of(ModelHashes.secureHash(
                                            hash, miners.get(i).ss58Address())),
                                    COMPETITION)
                            .toChainString();
                    long block = chain.commit(miners.get(i), chainString);
                    say("    " + miner.wallet() + " committed " + chainString + " at block " + block);
                    admin.advance(1);
                }
            }
            // past the eval block delay, and past the weights rate limit that registration started
            admin.advance(Math.max(EVAL_BLOCK_DELAY, WEIGHTS_RATE_LIMIT));

            say("4/5 Running " + steps + " validator step(s)");
            try (ValidatorRuntime runtime = ValidatorRuntime.open(injector);
                    Validator loop = runtime.validator(out)) {
                // with commit-reveal, the reveal (an epoch or two after the commit) updates the
                // validator's last-update block too
                int between = WEIGHTS_RATE_LIMIT + 1 + (commitReveal ? 2 * (COMMIT_REVEAL_TEMPO + 1) : 0);
                for (int step = 0; step < steps; step++) {
                    loop.run(1);
                    admin.advance(between);
                }
                if (commitReveal) {
                    long committed = loop.lastWeightsBlock();
                    say("    the validator committed its weights at block " + committed + "; the chain revealed them "
                            + chain.weights(validator.ss58Address())
                                    .map(w -> "at block " + w.block())
                                    .orElse("not yet"));
                }
            }

            say("5/5 Results");
            Leaderboard.print(out, dir.resolve("state"));
            Map<Integer, Integer> onChain = new LinkedHashMap<>();
            Optional<WeightsSet> weights = chain.weights(validator.ss58Address());
            if (weights.isEmpty()) {
                say("\nNo weights are on chain: the validator could not set them (see the log above).");
            } else {
                int[] uids = weights.get().uids();
                int[] values = weights.get().weights();
                long total = 0;
                for (int value : values) {
                    total += value;
                }
                out.printf(
                        commitReveal
                                ? "%nWeights on chain, revealed by the chain at block %d:%n"
                                : "%nWeights set by the validator on chain at block %d:%n",
                        weights.get().block());
                Map<String, String> labels = new LinkedHashMap<>();
                for (int i = 0; i < miners.size(); i++) {
                    labels.put(
                            miners.get(i).ss58Address(),
                            MINERS.get(i).wallet() + " (" + MINERS.get(i).kind() + ")");
                }
                List<Neuron> neurons = chain.metagraph().neurons();
                for (int i = 0; i < uids.length; i++) {
                    int u = uids[i];
                    String who = neurons.stream()
                            .filter(n -> n.uid() == u)
                            .findFirst()
                            .map(n -> labels.getOrDefault(n.hotkey(), n.hotkey()))
                            .orElse("?");
                    out.printf(
                            Locale.ROOT,
                            "  uid %d  %-28s u16 %5d  share %.4f%n",
                            u,
                            who,
                            values[i],
                            values[i] / (double) total);
                    onChain.put(u, values[i]);
                }
            }
            out.printf(
                    "%nDemo finished in %.0f s. Inspect it again with:%n  bin/pretrain4j leaderboard --state-dir %s%n"
                            + "  bin/pretrain4j chain status --config %s%n",
                    (System.nanoTime() - started) / 1e9, dir.resolve("state"), configFile());
            out.flush();
            return onChain;
        }
    }

    private static ChainAdmin admin(Chain chain) {
        if (chain instanceof ChainAdmin admin) {
            return admin;
        }
        throw new Pretrain4jException(
                DomainErrorCode.INVALID_ARGUMENT, "the demo needs the local chain; " + chain.id() + " is a real chain");
    }

    /** Every document of a dataset, read page by page through its port. */
    public static List<String> allDocuments(TextDataset dataset) {
        List<String> texts = new ArrayList<>();
        int rows = 50;
        for (long offset = 0; ; offset += rows) {
            List<String> page;
            try {
                page = dataset.fetch(new Page("default", "train", offset, rows));
            } catch (Pretrain4jException e) {
                break;
            }
            texts.addAll(page);
            if (page.size() < rows) {
                break;
            }
        }
        return texts;
    }

    private void prepareDirectory() throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, dir + " exists and is not a directory");
            }
            boolean empty;
            try (Stream<Path> listing = Files.list(dir)) {
                empty = listing.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT,
                        dir + " is not empty and was not made by the demo;" + " give --dir a new or empty directory");
            }
            if (!empty) {
                say("Removing the previous demo in " + dir);
                deleteTree(dir);
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by bin/pretrain4j demo; deleted and rebuilt by the next run\n");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A validator config for a local subnet in {@code dir}: local chain (blocks on demand), wallets,
     * local hub and model store inside it, the {@code schedule.json} there, every task on the shipped
     * corpus, and cadences of zero so that every step looks at every uid.
     */
    public static String configText(Path dir, int weightsRateLimit) {
        return """
                # Written by bin/pretrain4j demo: a whole subnet in this directory.
                pretrain4j {
                  schedule = "%1$s/schedule.json"
                  chain.backend-config { dir = "%1$s/chain", block-time = 0, weights-rate-limit = %2$d }
                  wallets.backend-config { path = "%1$s/wallets" }
                  store.local-config { root = "%1$s/model-store" }
                  store.remote-config { root = "%1$s/hub" }
                  plugins.dir = ""
                  validator {
                    wallet = demo-validator
                    hotkey = default
                    state-dir = "%1$s/state"
                    task-datasets { "*" = local }
                    # the counted models repeat their most likely token, which the reference's generation check punishes
                    sanity-check = false
                    chain-update-cadence = 0s
                    top-model-scan-cadence = 0s
                    metagraph-refresh = 0s
                    weights-interval = 0s
                    weights-retry = 0s
                    clean-interval = 0s
                    idle-sleep = 1s
                  }
                }
                """.formatted(dir.toAbsolutePath().toString().replace("\\", "/"), weightsRateLimit);
    }

    /** A one-competition schedule (id {@value #COMPETITION}, gpt2 tokenizer, 1M-20M parameters) on the shipped corpus. */
    public static String scheduleJson(int sequenceLength, int pages) {
        return """
                {
                  "name": "demo",
                  "source": "bin/pretrain4j demo",
                  "eras": [ { "startBlock": 0, "note": "one small competition on the shipped corpus", "competitions": [ {
                    "id": %d, "name": "DEMO", "rewardShare": 1.0,
                    "constraints": {
                      "minParameters": 100000, "maxParameters": 20000000, "sequenceLength": %d,
                      "architectures": ["LlamaForCausalLM", "GPT2LMHeadModel"], "tokenizer": "gpt2", "evalBlockDelay": %d,
                      "epsilon": { "kind": "linear-decay", "start": 0.005, "end": 0.0001, "decayBlocks": 7200 },
                      "maxBytes": 268435456, "modelKwargs": {}
                    },
                    "evalTasks": [ { "name": "BROWN", "method": "TEXT_LOSS", "dataset": "local", "normalization": "NONE", "weight": 1.0,
                      "datasetKwargs": { "num_pages": %d } } ]
                  } ] } ]
                }
                """.formatted(COMPETITION, sequenceLength, EVAL_BLOCK_DELAY, pages);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
