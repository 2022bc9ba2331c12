package io.pretrain4j.app.miner.cli;

import io.pretrain4j.app.miner.MinerRuntime;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.ports.training.TrainingBackend;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: the miner's benchmarks. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of the miner.",
        subcommands = MinerBenchCommand.Training.class)
public final class MinerBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bench training}: training tokens/s against forward-only tokens/s of the same model and windows, same run. */
    @Command(
            name = "training",
            mixinStandardHelpOptions = true,
            description = {
                "Training throughput (forward + backward + AdamW) of a named model size on the shipped corpus, against",
                "the validator's forward-only evaluation of the same model on the same windows in the same run."
            })
    static final class Training implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--model-size",
                defaultValue = "tiny-llama",
                description = "tiny-gpt2, tiny-llama, small-llama, gpt2-small (default: ${DEFAULT-VALUE})")
        String size;

        @Option(
                names = "--batch-size",
                defaultValue = "8",
                description = "windows per step (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(
                names = "--sequence-length",
                defaultValue = "128",
                description = "tokens per window (default: ${DEFAULT-VALUE})")
        int length;

        @Option(
                names = "--steps",
                defaultValue = "10",
                description = "measured steps after 2 warm-up steps (default: ${DEFAULT-VALUE})")
        int steps;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            MinerRuntime runtime = MinerRuntime.load(config.file());
            Tokenizer tokenizer = runtime.data().tokenizer("gpt2");
            List<int[]> windows;
            try (TextDataset dataset = runtime.data().dataset("local")) {
                windows = EvalWindows.build(
                                dataset,
                                tokenizer,
                                new EvalWindows.Request(BigInteger.ONE, 16, length, batchSize * (steps + 2)))
                        .windows();
            }
            int usable = windows.size() / batchSize;
            if (usable < steps + 2) {
                throw new IllegalArgumentException(
                        "the corpus gave " + windows.size() + " windows; need " + batchSize * (steps + 2));
            }
            Path dir = Files.createTempDirectory("pretrain4j-bench-training-");
            try (TrainingBackend training = runtime.trainingBackend();
                    InferenceBackend inference = runtime.inferenceBackend();
                    TrainableModel model = training.create(ModelSource.named(size, tokenizer.vocabSize(), length, 1))) {
                out.printf(
                        "bench training: %s (%s, %,d parameters), batch %d x %d tokens, %d measured steps; JDK %s, %d cores%n%s%n%n",
                        size,
                        model.config().architecture(),
                        model.parameterCount(),
                        batchSize,
                        length,
                        steps,
                        Runtime.version(),
                        Runtime.getRuntime().availableProcessors(),
                        training.description());
                TrainableModel.AdamW adamW = TrainableModel.AdamW.standard();
                for (int s = 0; s < 2; s++) {
                    model.accumulate(windows.subList(s * batchSize, (s + 1) * batchSize), 1.0);
                    model.step(adamW, 1e-3, 1.0);
                }
                long start = System.nanoTime();
                double firstLoss = 0;
                double lastLoss = 0;
                for (int s = 2; s < steps + 2; s++) {
                    double loss = model.accumulate(windows.subList(s * batchSize, (s + 1) * batchSize), 1.0);
                    model.step(adamW, 1e-3, 1.0);
                    firstLoss = s == 2 ? loss : firstLoss;
                    lastLoss = loss;
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                model.save(dir.resolve("model"), SafetensorsDType.F32);
                double forwardSeconds;
                try (CausalLanguageModel loaded = inference.load(dir.resolve("model"))) {
                    loaded.windowLosses(windows.subList(0, batchSize));
                    long forwardStart = System.nanoTime();
                    loaded.windowLosses(windows.subList(2 * batchSize, (steps + 2) * batchSize));
                    forwardSeconds = (System.nanoTime() - forwardStart) / 1e9;
                }
                double tokens = (double) steps * batchSize * length;
                double trainRate = tokens / trainSeconds;
                double forwardRate = tokens / forwardSeconds;
                out.printf(Locale.ROOT, "| variant | tokens/s | ratio |%n|---|---|---|%n");
                out.printf(
                        "| forward only (validator's evaluation, %s) | %,.0f | 1.00 |%n",
                        inference.description().split(" \\(")[0], forwardRate);
                out.printf(
                        "| training step (forward + backward + AdamW) | %,.0f | %.2f |%n",
                        trainRate, trainRate / forwardRate);
                out.printf(
                        "%ntraining loss over the measured steps: %.3f -> %.3f; %.2f steps/s%n",
                        firstLoss, lastLoss, steps / trainSeconds);
            } finally {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }
    }
}
