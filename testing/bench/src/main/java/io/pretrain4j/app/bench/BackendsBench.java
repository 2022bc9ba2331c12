package io.pretrain4j.app.bench;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench backends}: the same GPT-2-small-shaped model and windows on each inference backend,
 * one after the other in this process: load time, tokens/s, peak RSS (the kernel's high-water mark
 * is reset between backends through {@code /proc/self/clear_refs}), and the largest relative
 * difference of their per-window losses.
 */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        description = "GPT-2 small on each inference backend, same run: tokens/s, peak RSS, loss agreement.")
final class BackendsBench implements Callable<Integer> {
    @Option(
            names = "--backends",
            defaultValue = "djl-pytorch,onnx-runtime",
            split = ",",
            description = "backends (default ${DEFAULT-VALUE})")
    private List<String> backends;

    @Option(names = "--seq", defaultValue = "1024", description = "window length (default ${DEFAULT-VALUE})")
    private int sequence;

    @Option(names = "--windows", defaultValue = "4", description = "measured windows (default ${DEFAULT-VALUE})")
    private int windowCount;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "intra-op threads for every backend (0: each engine's default)")
    private int threads;

    @Option(names = "--small", description = "a 2-layer, 256-wide model instead of GPT-2 small (quick check)")
    private boolean small;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelSpec modelSpec = small ? ModelSpec.gpt2(50257, 256, 2, 4, 1024) : ModelSpec.gpt2Small();
        PluginRegistry registry = Bootstrap.injector(Optional.empty()).getInstance(PluginRegistry.class);
        try (ScratchDirectory scratch = ScratchDirectory.create("pretrain4j-bench-backends-")) {
            Path directory = scratch.path();
            SyntheticModels.write(directory, modelSpec);
            SplittableRandom random = new SplittableRandom(7);
            List<int[]> windows = new ArrayList<>();
            for (int i = 0; i < windowCount + 1; i++) {
                windows.add(random.ints(sequence, 0, modelSpec.vocab()).toArray());
            }
            out.printf(
                    "GPT-2 shape, %d layers, width %d, %,d parameters; %d windows of %d tokens (+1 warm-up); %d cores, JDK %s%n%n",
                    modelSpec.layers(),
                    modelSpec.hidden(),
                    modelSpec.parameterCount(),
                    windowCount,
                    sequence,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            out.printf(
                    Locale.ROOT,
                    "%-14s %10s %12s %14s %12s%n",
                    "backend",
                    "load s",
                    "tokens/s",
                    "peak RSS MB",
                    "ratio");
            double[] reference = null;
            double baselineRate = 0;
            double worst = 0;
            for (String name : backends) {
                System.gc();
                resetPeakRss();
                Map<String, String> config = new HashMap<>();
                if (threads > 0) {
                    config.put("threads", Integer.toString(threads));
                }
                if (name.equals("onnx-runtime") && System.getenv("ORT_DISABLE_TELEMETRY") != null) {
                    // as the launcher does: ONNX Runtime reads the variable itself; the factory is told it is set
                    config.put("ort-disable-telemetry", System.getenv("ORT_DISABLE_TELEMETRY"));
                }
                try (InferenceBackend backend =
                        registry.factory(FactoryKind.INFERENCE_BACKEND, name).create(config)) {
                    long start = System.nanoTime();
                    double rate;
                    double[] losses;
                    double load;
                    try (CausalLanguageModel model = backend.load(directory)) {
                        load = (System.nanoTime() - start) / 1e9;
                        model.windowLosses(windows.subList(0, 1));
                        start = System.nanoTime();
                        losses = model.windowLosses(windows.subList(1, windows.size()));
                        rate = (double) windowCount * sequence / ((System.nanoTime() - start) / 1e9);
                    }
                    if (reference == null) {
                        reference = losses;
                        baselineRate = rate;
                    } else {
                        for (int i = 0; i < losses.length; i++) {
                            worst = Math.max(worst, Math.abs(losses[i] - reference[i]) / Math.abs(reference[i]));
                        }
                    }
                    out.printf(
                            "%-14s %10.2f %12.0f %14d %12.2f%n",
                            name, load, rate, Memory.peakRssMegabytes(), rate / baselineRate);
                }
            }
            if (backends.size() > 1) {
                out.printf(
                        "%nlargest relative difference of a window's loss from %s's: %.2e%n", backends.get(0), worst);
            }
        }
        return 0;
    }

    /** Resets the kernel's peak RSS (VmHWM) of this process, so each backend's peak is its own. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux: the peak then accumulates, and the table says so by never decreasing
        }
    }
}
