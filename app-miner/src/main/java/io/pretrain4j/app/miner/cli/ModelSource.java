package io.pretrain4j.app.miner.cli;

import io.pretrain4j.app.miner.MinerRuntime;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.chain.WeightsSet;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.ports.training.TrainingBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the model to train comes from: exactly one of the options, a named size by default. */
final class ModelSource {
    /** Named sizes. */
    static final List<String> SIZES = List.of("tiny-gpt2", "tiny-llama", "small-llama", "gpt2-small");

    @Option(
            names = "--model-size",
            paramLabel = "<name>",
            description = "a new model: tiny-gpt2, tiny-llama (default), small-llama, gpt2-small")
    String size;

    @Option(
            names = "--model-config",
            paramLabel = "<config.json>",
            description = "a new model of this Hugging Face config (or the config for --load-model)")
    Path modelConfig;

    @Option(
            names = "--load-model-dir",
            paramLabel = "<dir>",
            description = "continue training a Hugging Face model directory")
    Path loadDir;

    @Option(
            names = "--load-model",
            paramLabel = "<file.safetensors>",
            description = "weights to load into the --model-config model")
    Path loadFile;

    @Option(
            names = "--load-uid",
            paramLabel = "<uid>",
            description = "continue training the model a uid committed on chain")
    Integer loadUid;

    @Option(
            names = "--load-best",
            description = "continue training the competition's best model on chain (most validator weight)")
    boolean loadBest;

    @Option(
            names = "--resume",
            paramLabel = "<checkpoint>",
            description = "resume a run from one of its checkpoints (model, optimizer, position)")
    Path resume;

    @Option(
            names = "--seed",
            paramLabel = "<n>",
            defaultValue = "0",
            description = "initialisation and data seed (default: ${DEFAULT-VALUE})")
    long seed;

    /** Opens the model; {@code work} is a scratch directory for downloads. */
    TrainableModel open(
            TrainingBackend backend,
            MinerRuntime runtime,
            Chain chain,
            Competition competition,
            int vocab,
            int sequenceLength,
            Path work) {
        int chosen = (size != null ? 1 : 0)
                + (modelConfig != null && loadFile == null ? 1 : 0)
                + (loadDir != null ? 1 : 0)
                + (loadFile != null ? 1 : 0)
                + (loadUid != null ? 1 : 0)
                + (loadBest ? 1 : 0)
                + (resume != null ? 1 : 0);
        if (chosen > 1) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "choose one of --model-size, --model-config, --load-model-dir, "
                            + "--load-model (with --model-config), --load-uid, --load-best, --resume");
        }
        if (resume != null) {
            return backend.load(resume);
        }
        if (loadDir != null) {
            return backend.load(loadDir);
        }
        if (loadFile != null) {
            if (modelConfig == null) {
                throw new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG,
                        "--load-model needs --model-config: the architecture of the weights");
            }
            Path dir = work.resolve("load-model");
            try {
                Files.createDirectories(dir);
                Files.copy(modelConfig, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(loadFile, dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot stage " + loadFile + ": " + e, e);
            }
            return backend.load(dir);
        }
        if (loadUid != null || loadBest) {
            int uid = loadUid != null ? loadUid : bestUid(chain, competition);
            return backend.load(download(runtime, chain, competition, uid, work));
        }
        if (modelConfig != null) {
            return backend.create(specOf(ModelConfigReader.read(stageConfig(modelConfig, work)), seed));
        }
        return backend.create(named(size == null ? "tiny-llama" : size, vocab, sequenceLength, seed));
    }

    static ModelSpec named(String name, int vocab, int sequenceLength, long seed) {
        int positions = Math.max(sequenceLength, 256);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny-gpt2" -> spec(Family.GPT2, vocab, 64, 2, 2, 2, 256, positions, true, seed);
            case "tiny-llama" -> spec(Family.LLAMA, vocab, 64, 2, 4, 2, 176, positions, true, seed);
            case "small-llama" -> spec(Family.LLAMA, vocab, 256, 4, 4, 4, 704, positions, false, seed);
            case "gpt2-small" -> spec(Family.GPT2, vocab, 768, 12, 12, 12, 3072, Math.max(positions, 1024), true, seed);
            default ->
                throw new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG, "unknown --model-size '" + name + "'; known: " + SIZES);
        };
    }

    private static ModelSpec spec(
            Family family,
            int vocab,
            int hidden,
            int layers,
            int heads,
            int kvHeads,
            int inner,
            int positions,
            boolean tied,
            long seed) {
        return new ModelSpec(
                family,
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                inner,
                positions,
                tied,
                SafetensorsDType.F32,
                0.02,
                seed,
                0);
    }

    private static Path stageConfig(Path config, Path work) {
        Path dir = work.resolve("model-config");
        try {
            Files.createDirectories(dir);
            Files.copy(config, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot read " + config + ": " + e, e);
        }
        return dir;
    }

    static ModelSpec specOf(ModelConfig c, long seed) {
        Family family = switch (c.architecture()) {
            case "GPT2LMHeadModel" -> Family.GPT2;
            case "MistralForCausalLM" -> Family.MISTRAL;
            case "Qwen2ForCausalLM" -> Family.QWEN2;
            default -> Family.LLAMA;
        };
        return new ModelSpec(
                family,
                c.vocabSize(),
                c.hidden(),
                c.layers(),
                c.heads(),
                c.kvHeads(),
                c.intermediate(),
                c.maxPositions(),
                c.tied(),
                SafetensorsDType.F32,
                0.02,
                seed,
                0);
    }

    /** The uid with the most weight from validators with a permit, among those committed to {@code competition}. */
    static int bestUid(Chain chain, Competition competition) {
        Map<String, Commitment> commitments = chain.commitments();
        Map<Integer, Double> weight = new HashMap<>();
        List<Neuron> neurons = chain.metagraph().neurons();
        for (Neuron validator : neurons) {
            if (!validator.validatorPermit()) {
                continue;
            }
            Optional<WeightsSet> set = chain.weights(validator.hotkey());
            if (set.isEmpty()) {
                continue;
            }
            long total = 0;
            for (int w : set.get().weights()) {
                total += w;
            }
            for (int i = 0; i < set.get().uids().length && total > 0; i++) {
                weight.merge(
                        set.get().uids()[i],
                        (double) set.get().weights()[i] / total * validator.stakeTao(),
                        Double::sum);
            }
        }
        List<Integer> candidates = new ArrayList<>();
        for (Neuron neuron : neurons) {
            Commitment c = commitments.get(neuron.hotkey());
            if (c == null) {
                continue;
            }
            try {
                if (ModelId.parse(c.data()).competitionId() == competition.id()) {
                    candidates.add(neuron.uid());
                }
            } catch (Pretrain4jException ignored) {
                // not a model commitment
            }
        }
        return candidates.stream()
                .max((a, b) -> Double.compare(weight.getOrDefault(a, 0.0), weight.getOrDefault(b, 0.0)))
                .orElseThrow(() -> new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG,
                        "no uid has committed a model to " + competition.name()
                                + " yet; there is no best model to load"));
    }

    private static Path download(MinerRuntime runtime, Chain chain, Competition competition, int uid, Path work) {
        Neuron neuron = chain.metagraph().neurons().stream()
                .filter(n -> n.uid() == uid)
                .findFirst()
                .orElseThrow(() -> new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG, "uid " + uid + " is not in the metagraph"));
        Commitment commitment = chain.commitment(neuron.hotkey())
                .orElseThrow(() ->
                        new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "uid " + uid + " has no commitment"));
        ModelId id = ModelId.parse(commitment.data());
        Path target = work.resolve("uid-" + uid);
        try (RemoteModelStore remote = runtime.stores().remote()) {
            remote.download(
                    id.repoId(),
                    id.commit()
                            .orElseThrow(() -> new Pretrain4jException(
                                    PortErrorCode.INVALID_CONFIG, "uid " + uid + "'s commitment names no commit")),
                    target,
                    competition.constraints().maxBytes());
        }
        return target;
    }
}
