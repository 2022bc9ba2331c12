package io.pretrain4j.app.bench;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.launcher.cli.Inference;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench inference}: model FLOP utilisation of an inference backend. Writes a GPT-2-small
 * shaped model (124M parameters, random weights), scores windows of {@code --seq} tokens and
 * reports tokens/s and achieved GFLOP/s (2 x parameters x tokens), against the backend's own fp32
 * matmul rate measured in the same run. With {@code --cycles N} it then loads, evaluates and
 * closes the model N times and prints the resident set size, to show native memory is released.
 */
@Command(
        name = "inference",
        mixinStandardHelpOptions = true,
        description =
                "Model throughput vs the engine's matmul rate (GPT-2 small, random weights); RSS over load/close cycles.")
final class InferenceBench implements Callable<Integer> {
    @Option(names = "--seq", defaultValue = "1024", description = "window length (default ${DEFAULT-VALUE})")
    private int sequence;

    @Option(names = "--windows", defaultValue = "4", description = "measured windows (default ${DEFAULT-VALUE})")
    private int windowCount;

    @Option(
            names = "--matmul-size",
            defaultValue = "2048",
            description = "square matmul size of the baseline (default ${DEFAULT-VALUE})")
    private int matmulSize;

    @Option(
            names = "--cycles",
            defaultValue = "0",
            description = "load/evaluate/close cycles for the RSS check (default ${DEFAULT-VALUE})")
    private int cycles;

    @Option(names = "--small", description = "a 2-layer, 256-wide model instead of GPT-2 small (quick check)")
    private boolean small;

    @Mixin
    private Inference inference;

    @Spec
    private CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        ModelSpec modelSpec = small ? ModelSpec.gpt2(50257, 256, 2, 4, 1024) : ModelSpec.gpt2Small();
        try (ScratchDirectory scratch = ScratchDirectory.create("pretrain4j-bench-");
                InferenceBackend backend = inference.open()) {
            Path directory = scratch.path();
            out().printf(Locale.ROOT, "backend: %s%n", backend.description());
            out().printf(
                            Locale.ROOT,
                            "cores: %d, JDK %s%n",
                            Runtime.getRuntime().availableProcessors(),
                            Runtime.version());
            long start = System.nanoTime();
            SyntheticModels.write(directory, modelSpec);
            out().printf(
                            "model: GPT-2 shape, %d layers, width %d, %,d parameters, written in %.1f s%n",
                            modelSpec.layers(), modelSpec.hidden(), modelSpec.parameterCount(), seconds(start));
            throughput(backend, directory, modelSpec);
            if (cycles > 0) {
                cycles(backend, directory);
            }
        }
        return 0;
    }

    private void throughput(InferenceBackend backend, Path directory, ModelSpec modelSpec) {
        OptionalDouble matmul = backend.matmulGflops(matmulSize);
        out().printf(
                        "baseline: fp32 matmul %dx%d: %s%n",
                        matmulSize,
                        matmulSize,
                        matmul.isPresent()
                                ? String.format(Locale.ROOT, "%.1f GFLOP/s", matmul.getAsDouble())
                                : "not measurable by this backend");
        long start = System.nanoTime();
        try (CausalLanguageModel model = backend.load(directory)) {
            out().printf(Locale.ROOT, "load: %.2f s, RSS %d MB%n", seconds(start), Memory.rssMegabytes());
            List<int[]> windows = windows(windowCount, modelSpec.vocab());
            model.windowLosses(windows.subList(0, 1)); // warm-up
            long evalStart = System.nanoTime();
            double[] losses = model.windowLosses(windows);
            double elapsed = seconds(evalStart);
            long tokens = (long) windowCount * sequence;
            double gflops = 2.0 * model.parameterCount() * tokens / elapsed / 1e9;
            out().printf(
                            "forward: %d windows x %d tokens in %.2f s: %.0f tokens/s, %.1f GFLOP/s (2 x %,d params x tokens)%n",
                            windowCount, sequence, elapsed, tokens / elapsed, gflops, model.parameterCount());
            out().printf(
                            "mean loss %.4f (ln vocab = %.4f)%n",
                            Arrays.stream(losses).average().orElse(Double.NaN), Math.log(modelSpec.vocab()));
            if (matmul.isPresent()) {
                out().printf(
                                "model FLOP utilisation: %.2f of the measured matmul rate%n",
                                gflops / matmul.getAsDouble());
            }
            out().printf(Locale.ROOT, "peak RSS: %d MB%n", Memory.peakRssMegabytes());
        }
    }

    private void cycles(InferenceBackend backend, Path directory) {
        out().printf(Locale.ROOT, "%n== %d load / evaluate / close cycles ==%n", cycles);
        List<int[]> windows = windows(1, 50257);
        long afterFirst = 0;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            try (CausalLanguageModel model = backend.load(directory)) {
                model.windowLosses(windows);
            }
            if (cycle == 1 || cycle % 10 == 0 || cycle == cycles) {
                System.gc();
                long rss = Memory.rssMegabytes();
                if (cycle == 10 || (cycles < 10 && cycle == 1)) {
                    afterFirst = rss;
                }
                out().printf(Locale.ROOT, "cycle %4d: RSS %d MB%n", cycle, rss);
            }
        }
        out().printf(
                        "RSS change from cycle %d to %d: %+d MB%n",
                        Math.min(10, cycles), cycles, Memory.rssMegabytes() - afterFirst);
    }

    private List<int[]> windows(int count, int vocab) {
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            windows.add(random.ints(sequence, 0, vocab).toArray());
        }
        return windows;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
