package io.pretrain4j.app.bench;

import io.pretrain4j.domain.data.Page;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.evaluation.WindowCache;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench tokenizer}: tokenizer throughput on the shipped corpus, in MB of UTF-8 text per
 * second. The baseline, measured in the same run, tokenizes the documents one after another as the
 * reference's loader does; pretrain4j's path ({@link EvalWindows#tokenize}) spreads a page's
 * documents over the cores. Both token streams are compared before timing. Then the cost of a
 * step's windows: built once, then served from the cache to every further model.
 */
@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description =
                "Tokenizer MB/s on the shipped corpus: per-document sequential baseline vs pretrain4j's parallel path.")
final class TokenizerBench implements Callable<Integer> {
    @Option(
            names = "--tokenizers",
            defaultValue = "gpt2,Xenova/gpt-4",
            split = ",",
            description = "tokenizer ids (default ${DEFAULT-VALUE})")
    private List<String> tokenizers;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description = "measured passes over the corpus per variant (default ${DEFAULT-VALUE})")
    private int rounds;

    @Mixin
    ConfigOption config;

    @Spec
    private CommandSpec spec;

    private volatile Object sink;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Data data = Bootstrap.injector(config.file()).getInstance(Data.class);
        List<String> documents = new ArrayList<>();
        try (TextDataset corpus = data.dataset("local")) {
            for (long offset = 0; ; offset += 100) {
                List<String> page = corpus.fetch(new Page("default", "train", offset, 100));
                documents.addAll(page);
                if (page.size() < 100) {
                    break;
                }
            }
        }
        long bytes = documents.stream()
                .mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length)
                .sum();
        out.printf(
                "tokenizer throughput: %d documents, %.2f MB of UTF-8 text (the shipped Brown sample), %d rounds after warm-up%n",
                documents.size(), bytes / 1e6, rounds);
        out.printf(
                "JDK %s, %d cores; MB/s = 10^6 bytes of text per second, documents untruncated%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "%-14s %-34s %10s %12s %8s%n", "tokenizer", "variant", "MB/s", "Mtokens/s", "ratio");
        for (String id : tokenizers) {
            Tokenizer tokenizer = data.tokenizer(id);
            Function<List<String>, List<int[]>> sequential =
                    docs -> docs.stream().map(tokenizer::encode).toList();
            Function<List<String>, List<int[]>> parallel = docs -> EvalWindows.tokenize(untruncated(tokenizer), docs);
            List<int[]> a = sequential.apply(documents);
            List<int[]> b = parallel.apply(documents);
            for (int i = 0; i < a.size(); i++) {
                if (!Arrays.equals(a.get(i), b.get(i))) {
                    throw new IllegalStateException("parallel tokenization differs from sequential at document " + i);
                }
            }
            long tokens = a.stream().mapToLong(t -> t.length).sum();
            double baseline = measure(sequential, documents);
            double ours = measure(parallel, documents);
            out.printf(
                    "%-14s %-34s %10.2f %12.2f %8s%n",
                    id, "baseline: sequential, per document", bytes / baseline / 1e6, tokens / baseline / 1e6, "1.00");
            out.printf(
                    "%-14s %-34s %10.2f %12.2f %8.2f%n",
                    id, "pretrain4j: documents in parallel", bytes / ours / 1e6, tokens / ours / 1e6, baseline / ours);
        }
        out.println();
        stepCost(out, data);
        return 0;
    }

    /** Seconds per pass, the median of {@code rounds} after two warm-up passes. */
    private double measure(Function<List<String>, List<int[]>> variant, List<String> documents) {
        for (int i = 0; i < 2; i++) {
            sink = variant.apply(documents);
        }
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            sink = variant.apply(documents);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[rounds / 2];
    }

    /** A step of 8 models on FINEWEB-shaped work (15 pages) from the local corpus: build once, then cache hits. */
    private void stepCost(PrintWriter out, Data data) {
        Tokenizer tokenizer = data.tokenizer(tokenizers.get(0));
        EvalWindows.Request request = EvalWindows.Request.of(BigInteger.valueOf(20_241_001), 15, 1024);
        try (TextDataset dataset = data.dataset("local")) {
            EvalWindows.build(dataset, tokenizer, request); // warm-up
            WindowCache cache = new WindowCache(Optional.empty(), 1 << 24);
            long start = System.nanoTime();
            EvalWindows.Result first = cache.get(dataset, tokenizer, request);
            double buildMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            for (int model = 1; model < 8; model++) {
                sink = cache.get(dataset, tokenizer, request);
            }
            double hitMs = (System.nanoTime() - start) / 1e6 / 7;
            out.printf(
                    "a step's windows (%s, 15 pages, %d windows of 1024): built in %.1f ms for the first model, %.3f ms for each "
                            + "of the other 7 (cache hit); without the cache 8 models cost %.1f ms%n",
                    tokenizer.id(), first.windows().size(), buildMs, hitMs, 8 * buildMs);
        }
    }

    /** The tokenizer without truncation, so both variants do the same work. */
    private static Tokenizer untruncated(Tokenizer tokenizer) {
        return new Tokenizer() {
            @Override
            public String id() {
                return tokenizer.id();
            }

            @Override
            public int[] encode(String text) {
                return tokenizer.encode(text);
            }

            @Override
            public int[] encodeDocument(String text) {
                return tokenizer.encode(text);
            }

            @Override
            public String decode(int[] tokens) {
                return tokenizer.decode(tokens);
            }

            @Override
            public int eosTokenId() {
                return tokenizer.eosTokenId();
            }

            @Override
            public int vocabSize() {
                return tokenizer.vocabSize();
            }

            @Override
            public int modelMaxLength() {
                return tokenizer.modelMaxLength();
            }
        };
    }
}
