package io.pretrain4j.app.miner.cli;

import io.pretrain4j.app.miner.MinerRuntime;
import io.pretrain4j.app.miner.publish.Publisher;
import io.pretrain4j.app.miner.train.TrainOptions;
import io.pretrain4j.app.miner.train.Trainer;
import io.pretrain4j.app.miner.train.TrainingData;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.training.LearningRateSchedule;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.ports.training.TrainingBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains a model for a competition, evaluates it on held-out pages, and publishes it when it is good enough. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a model for a competition on the configured dataset (pretrain4j.miner.dataset; the shipped corpus by",
            "default), evaluates it on held-out pages with the validator's loss, saves it in the Hugging Face layout, and",
            "publishes and commits it when its held-out loss is below --avg-loss-upload-threshold (never with --offline)."
        })
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(
            names = "--competition-id",
            required = true,
            paramLabel = "<id>",
            description = "the competition to train for")
    int competitionId;

    @Mixin
    ModelSource source;

    @Option(names = "--steps", defaultValue = "300", description = "optimizer steps (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch-size", defaultValue = "8", description = "windows per pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--accumulation-steps",
            defaultValue = "1",
            description = "passes per optimizer step (default: ${DEFAULT-VALUE})")
    int accumulation;

    @Option(names = "--sequence-length", paramLabel = "<n>", description = "window length (default: the competition's)")
    Integer sequenceLength;

    @Option(names = "--lr", defaultValue = "3e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(
            names = "--min-lr",
            paramLabel = "<lr>",
            description = "learning rate at the end of the cosine decay (default: lr / 10)")
    Double minLearningRate;

    @Option(
            names = "--warmup-steps",
            defaultValue = "20",
            description = "linear warm-up steps (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(
            names = "--weight-decay",
            defaultValue = "0.01",
            description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(
            names = "--max-grad-norm",
            defaultValue = "1.0",
            description = "gradient clipping, 0 for none (default: ${DEFAULT-VALUE})")
    double maxGradNorm;

    @Option(
            names = "--eval-every",
            defaultValue = "100",
            description = "steps between held-out evaluations (default: ${DEFAULT-VALUE})")
    long evalEvery;

    @Option(names = "--eval-pages", defaultValue = "4", description = "held-out pages (default: ${DEFAULT-VALUE})")
    int evalPages;

    @Option(
            names = "--eval-windows",
            defaultValue = "50",
            description = "held-out windows, as a validator keeps (default: ${DEFAULT-VALUE})")
    int evalWindows;

    @Option(
            names = "--pages-per-epoch",
            defaultValue = "40",
            description = "pages drawn per epoch (default: ${DEFAULT-VALUE})")
    int pagesPerEpoch;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "0",
            description = "steps between checkpoints, 0 for none (default: ${DEFAULT-VALUE})")
    long checkpointEvery;

    @Option(names = "--save-dtype", defaultValue = "f32", description = "f32 or bf16 (default: ${DEFAULT-VALUE})")
    String saveDtype;

    @Option(
            names = "--output",
            paramLabel = "<dir>",
            description = "the final model (default: <miner.model-dir>/final)")
    Path output;

    @Option(
            names = "--log-every",
            defaultValue = "10",
            description = "steps between progress lines (default: ${DEFAULT-VALUE})")
    long logEvery;

    @Option(names = "--offline", description = "never upload or commit")
    boolean offline;

    @Option(
            names = "--avg-loss-upload-threshold",
            defaultValue = "0",
            description = "publish only below this held-out loss; 0 never publishes (the reference's default)")
    double uploadThreshold;

    @Option(names = "--hf-repo-id", paramLabel = "<ns/name>", description = "the repo to publish to")
    String repoId;

    @Option(
            names = "--make-public",
            description = "make the repo public after the commit (validators cannot download private repos)")
    boolean makePublic;

    @Option(names = "--wallet", paramLabel = "<name>", description = "default: pretrain4j.miner.wallet")
    String wallet;

    @Option(names = "--hotkey", paramLabel = "<name>", description = "default: pretrain4j.miner.hotkey")
    String hotkey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!offline && uploadThreshold > 0 && repoId == null) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "--avg-loss-upload-threshold needs --hf-repo-id (or use --offline)");
        }
        SafetensorsDType dtype = switch (saveDtype.toLowerCase(Locale.ROOT)) {
            case "f32", "fp32", "float32" -> SafetensorsDType.F32;
            case "bf16", "bfloat16" -> SafetensorsDType.BF16;
            default ->
                throw new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG, "--save-dtype must be f32 or bf16, got " + saveDtype);
        };
        MinerRuntime runtime = MinerRuntime.load(config.file());
        Path modelDir = Path.of(runtime.settings().modelDir());
        Path work = Files.createDirectories(modelDir.resolve(".work"));
        try (Chain chain = runtime.chains().chain();
                TrainingBackend backend = runtime.trainingBackend();
                InferenceBackend inference = runtime.inferenceBackend();
                TextDataset dataset = runtime.data().dataset(runtime.settings().dataset())) {
            Competition competition = runtime.competition(chain, competitionId);
            Tokenizer tokenizer =
                    runtime.data().tokenizer(competition.constraints().tokenizer());
            int length = sequenceLength != null
                    ? sequenceLength
                    : competition.constraints().sequenceLength();
            out.printf(
                    "competition %s (%d): sequence length %d, tokenizer %s, %,d-%,d parameters%n",
                    competition.name(),
                    competition.id(),
                    length,
                    tokenizer.id(),
                    competition.constraints().minParameters(),
                    competition.constraints().maxParameters());
            out.println(backend.description());
            Trainer.Position position =
                    source.resume != null ? Trainer.readPosition(source.resume) : Trainer.Position.START;
            try (TrainableModel model =
                    source.open(backend, runtime, chain, competition, tokenizer.vocabSize(), length, work)) {
                if (source.resume != null) {
                    model.loadOptimizer(source.resume.resolve(Trainer.OPTIMIZER_FILE));
                    out.println("resumed " + source.resume + " at step " + position.step());
                }
                out.printf(
                        Locale.ROOT,
                        "model: %s, %,d parameters%n",
                        model.config().architecture(),
                        model.parameterCount());
                TrainingData data = new TrainingData(
                        dataset, tokenizer, length, source.seed, evalPages, evalWindows, pagesPerEpoch);
                LearningRateSchedule schedule = new LearningRateSchedule(
                        learningRate, minLearningRate != null ? minLearningRate : learningRate / 10, warmup, steps);
                TrainOptions options = new TrainOptions(
                        steps,
                        batchSize,
                        accumulation,
                        schedule,
                        new TrainableModel.AdamW(0.9, 0.999, 1e-8, weightDecay),
                        maxGradNorm,
                        evalEvery,
                        checkpointEvery,
                        dtype,
                        output != null ? output : modelDir.resolve("final"),
                        logEvery);
                Trainer.Result result = new Trainer(options, data, inference, modelDir, out).run(model, position);
                out.printf(
                        "trained %d steps at %,.0f tokens/s; held-out loss %.4f -> %.4f%n",
                        result.steps(), result.tokensPerSecond(), result.firstHeldOutLoss(), result.finalHeldOutLoss());
                publishIfGood(runtime, chain, competition, tokenizer, result, out);
            }
        }
        return 0;
    }

    private void publishIfGood(
            MinerRuntime runtime,
            Chain chain,
            Competition competition,
            Tokenizer tokenizer,
            Trainer.Result result,
            PrintWriter out) {
        if (offline) {
            out.println("--offline: not publishing");
            return;
        }
        if (!(uploadThreshold > 0) || !(result.finalHeldOutLoss() < uploadThreshold)) {
            out.printf(
                    "not publishing: held-out loss %.4f is not below --avg-loss-upload-threshold %s%n",
                    result.finalHeldOutLoss(), uploadThreshold > 0 ? Double.toString(uploadThreshold) : "0 (never)");
            return;
        }
        try (RemoteModelStore remote = runtime.stores().remote()) {
            Publisher publisher = new Publisher(
                    remote,
                    chain,
                    runtime.chains().wallets(Optional.empty()),
                    out,
                    d -> Thread.sleep(d.toMillis()),
                    Duration.ofSeconds(60),
                    Duration.ofHours(1));
            publisher.publish(
                    result.output(),
                    repoId,
                    competition,
                    tokenizer,
                    runtime.hotkey(Optional.ofNullable(wallet), Optional.ofNullable(hotkey)),
                    makePublic);
        }
    }
}
