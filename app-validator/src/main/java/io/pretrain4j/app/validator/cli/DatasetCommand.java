package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.random.DataSeed;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Data;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataset}: the evaluation data validators draw. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        subcommands = DatasetCommand.Sample.class,
        description = "Datasets and the evaluation windows validators draw from them.")
public final class DatasetCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code dataset sample}. */
    @Command(
            name = "sample",
            mixinStandardHelpOptions = true,
            description = {
                "Draws the pages a validator with this seed draws, packs their tokens into windows as the reference",
                "does, and prints {\"pages\", \"windows\", \"sha256\", ...}. Two validators agree on a step's data when the",
                "sha256 is equal. --windows-out writes the windows for eval-loss."
            })
    static final class Sample implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--dataset",
                defaultValue = "local",
                paramLabel = "<name>",
                description =
                        "a dataset configured under pretrain4j.data.datasets (default ${DEFAULT-VALUE}: the shipped Brown sample)")
        private String dataset;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private SeedSource seed;

        static final class SeedSource {
            @Option(names = "--seed", paramLabel = "<int>", description = "the seed (any size)")
            BigInteger seed;

            @Option(
                    names = "--block-hash",
                    paramLabel = "<0x...>",
                    description = "the sync block's hash; the seed is derived as validators do")
            String blockHash;

            BigInteger value() {
                return seed != null ? seed : DataSeed.fromBlockHash(blockHash);
            }
        }

        @Option(
                names = "--pages",
                defaultValue = "2",
                paramLabel = "<n>",
                description = "pages per round (the task's num_pages; default ${DEFAULT-VALUE})")
        private int pages;

        @Option(
                names = "--sequence-length",
                defaultValue = "1024",
                paramLabel = "<L>",
                description = "window length (default ${DEFAULT-VALUE})")
        private int sequenceLength;

        @Option(
                names = "--tokenizer",
                defaultValue = "gpt2",
                paramLabel = "<id>",
                description = "gpt2, distilgpt2 or Xenova/gpt-4 (default ${DEFAULT-VALUE})")
        private String tokenizerId;

        @Option(
                names = "--max-windows",
                defaultValue = "50",
                paramLabel = "<n>",
                description = "windows kept after the shuffle (default ${DEFAULT-VALUE})")
        private int maxWindows;

        @Option(
                names = "--windows-out",
                paramLabel = "<file.json>",
                description = "also write {\"windows\": [[ids], ...]} here")
        private Path windowsOut;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            BigInteger seedValue = seed.value();
            if (seedValue.signum() < 0) {
                throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "--seed must be >= 0");
            }
            Data data = Bootstrap.injector(config.file()).getInstance(Data.class);
            Tokenizer tokenizer = data.tokenizer(tokenizerId);
            EvalWindows.Request request = new EvalWindows.Request(seedValue, pages, sequenceLength, maxWindows);
            long started = System.nanoTime();
            EvalWindows.Result result;
            try (TextDataset source = data.dataset(dataset)) {
                result = data.cache().get(source, tokenizer, request);
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            if (windowsOut != null) {
                writeWindows(windowsOut, result);
            }
            ObjectNode root = ScoreCommand.MAPPER.createObjectNode();
            root.put("dataset", dataset);
            root.put("datasetId", result.datasetId());
            root.put("tokenizer", result.tokenizerId());
            root.put("seed", seedValue.toString());
            root.put("sequenceLength", sequenceLength);
            ArrayNode pageNames = root.putArray("pages");
            for (Page page : result.pages()) {
                pageNames.add(page.name());
            }
            root.put("rounds", result.rounds());
            root.put("documents", result.documents());
            root.put("tokens", result.tokens());
            root.put("windows", result.windows().size());
            root.put("sha256", result.sha256());
            root.put("elapsedMs", elapsedMs);
            if (windowsOut != null) {
                root.put("windowsOut", windowsOut.toString());
            }
            spec.commandLine()
                    .getOut()
                    .println(
                            ScoreCommand.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }

        /** Writes {"sha256", "sequenceLength", "windows": [[...], ...]} atomically, one window per line. */
        private static void writeWindows(Path file, EvalWindows.Result result) throws IOException {
            Path absolute = file.toAbsolutePath();
            AtomicFiles.write(
                    absolute,
                    out -> {
                        try (JsonGenerator json =
                                ScoreCommand.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                            json.writeStartObject();
                            json.writeStringField("sha256", result.sha256());
                            json.writeNumberField(
                                    "sequenceLength",
                                    result.windows().isEmpty()
                                            ? 0
                                            : result.windows().get(0).length);
                            json.writeFieldName("windows");
                            json.writeStartArray();
                            for (int[] window : result.windows()) {
                                json.writeRaw("\n");
                                json.writeArray(window, 0, window.length);
                            }
                            json.writeEndArray();
                            json.writeEndObject();
                        }
                    },
                    AtomicFiles.Access.DEFAULT);
            if (!Packing.sha256(EvalLossCommand.readWindows(absolute)).equals(result.sha256())) {
                throw new IOException(absolute + " does not read back as the windows written");
            }
        }
    }
}
