package io.pretrain4j.app.bench;

import io.pretrain4j.app.validator.demo.CountedModels;
import io.pretrain4j.launcher.cli.Inference;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench memory}: the resident set size over load / evaluate / close cycles of three models of
 * the demo's shape (Llama, vocabulary 50257, width 128, about 13M parameters each: random, unigram and
 * bigram), as a validator step loads them. No explicit garbage collection is asked for: memory that
 * only a collection would free shows up as growth. The baseline is the RSS after the warm-up cycles
 * of the same run; the growth after them must stay small.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = "RSS over load/evaluate/close cycles of the demo's three models, without explicit GC.")
final class MemoryBench implements Callable<Integer> {
    private static final int VOCAB = 50257;
    private static final int HIDDEN = 128;

    @Option(
            names = "--cycles",
            defaultValue = "50",
            description = "cycles, each loading, evaluating and closing the 3 models (default ${DEFAULT-VALUE})")
    private int cycles;

    @Option(
            names = "--warm-up",
            defaultValue = "10",
            description = "cycles before the baseline RSS is taken (default ${DEFAULT-VALUE})")
    private int warmUp;

    @Option(
            names = "--tokens",
            defaultValue = "256",
            description = "tokens per evaluated window (default ${DEFAULT-VALUE})")
    private int tokens;

    @Mixin
    private Inference inference;

    @Spec
    private CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        try (ScratchDirectory scratch = ScratchDirectory.create("pretrain4j-memory-bench-");
                InferenceBackend backend = inference.open()) {
            List<Path> models = writeModels(scratch.path());
            out().printf(
                            "backend: %s; JDK %s; max direct memory %s%n",
                            backend.description(), Runtime.version(), maxDirect());
            out().printf(
                            "%d cycles x 3 models (load, 2 windows of %d tokens, close), RSS without explicit GC%n",
                            cycles, tokens);
            List<int[]> windows = windows();
            long baseline = -1;
            long peakWarmUp = -1;
            long peakAfter = -1;
            long start = Memory.rssMegabytes();
            out().printf(
                            Locale.ROOT,
                            "%6s %8s %12s %12s %14s%n",
                            "cycle",
                            "RSS MB",
                            "direct MB",
                            "mapped MB",
                            "heap commit MB");
            out().printf(
                            Locale.ROOT,
                            "%6d %8d %12.1f %12.1f %14.1f%n",
                            0,
                            start,
                            pool("direct"),
                            pool("mapped"),
                            heapCommitted());
            for (int cycle = 1; cycle <= cycles; cycle++) {
                for (Path model : models) {
                    try (CausalLanguageModel loaded = backend.load(model)) {
                        loaded.windowLosses(windows);
                    }
                }
                long rss = Memory.rssMegabytes();
                if (cycle == warmUp) {
                    baseline = rss;
                }
                if (cycle <= warmUp) {
                    peakWarmUp = Math.max(peakWarmUp, rss);
                } else {
                    peakAfter = Math.max(peakAfter, rss);
                }
                if (cycle <= 3 || cycle % 5 == 0 || cycle == cycles) {
                    out().printf(
                                    "%6d %8d %12.1f %12.1f %14.1f%n",
                                    cycle, rss, pool("direct"), pool("mapped"), heapCommitted());
                }
            }
            long end = Memory.rssMegabytes();
            if (baseline < 0) {
                baseline = start;
            }
            out().printf(
                            "RSS after warm-up (cycle %d): %d MB; after cycle %d: %d MB; growth %+d MB (%.2fx the warm-up RSS),"
                                    + " %+.1f MB per cycle%n",
                            Math.min(warmUp, cycles),
                            baseline,
                            cycles,
                            end,
                            end - baseline,
                            (double) end / baseline,
                            (end - baseline) / (double) Math.max(1, cycles - warmUp));
            if (peakAfter >= 0) {
                // the native allocator makes RSS swing by tens of MB from one cycle to the next; peaks
                // compare like with like
                out().printf(
                                "peak RSS during warm-up: %d MB; peak after: %d MB; growth %+d MB (%.2fx)%n",
                                peakWarmUp, peakAfter, peakAfter - peakWarmUp, (double) peakAfter / peakWarmUp);
            }
        }
        return 0;
    }

    private List<Path> writeModels(Path directory) {
        SplittableRandom random = new SplittableRandom(7);
        List<int[]> documents = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            documents.add(random.ints(200, 0, 2000).toArray());
        }
        CountedModels counted = CountedModels.count(documents, VOCAB, HIDDEN, VOCAB - 1);
        return List.of(
                counted.writeUntrained(directory.resolve("untrained"), 42),
                counted.write(directory.resolve("unigram"), false),
                counted.write(directory.resolve("bigram"), true));
    }

    private List<int[]> windows() {
        SplittableRandom random = new SplittableRandom(42);
        return List.of(
                random.ints(tokens, 0, 2000).toArray(),
                random.ints(tokens, 0, 2000).toArray());
    }

    private static double pool(String name) {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals(name)) {
                return pool.getMemoryUsed() / 1e6;
            }
        }
        return -1;
    }

    private static double heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1e6;
    }

    private static String maxDirect() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:MaxDirectMemorySize"))
                .findFirst()
                .orElse("(JVM default: the heap's maximum)");
    }
}
