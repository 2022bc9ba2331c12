package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.eval.OutputSanity;
import io.pretrain4j.domain.eval.TextLoss;
import io.pretrain4j.launcher.cli.Inference;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval-loss}: loads one model and prints its per-window losses, as a validator computes
 * them. Miners check a model before publishing; operators audit one.
 */
@Command(
        name = "eval-loss",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a Hugging Face model directory (config.json + safetensors) and prints",
            "{\"architecture\", \"parameters\", \"losses\": [per window], \"mean\"} for the token windows in",
            "<file.json> ({\"windows\": [[ids], ...]}). Non-finite losses print as null; the mean is then null",
            "(a validator scores such a model +inf)."
        })
public final class EvalLossCommand implements Callable<Integer> {
    private static final long MAX_WINDOWS_BYTES = 1L << 30;

    @Option(names = "--model", required = true, paramLabel = "<dir>", description = "the model directory")
    private Path model;

    @Option(names = "--windows", required = true, paramLabel = "<file.json>", description = "token windows")
    private Path windowsFile;

    @Option(names = "--sanity", description = "also run the reference's generation check on windows 0 and 1")
    private boolean sanity;

    @Mixin
    private Inference inference;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(model)) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "--model " + model + " is not a directory");
        }
        List<int[]> windows = readWindows(windowsFile);
        ObjectNode root = ScoreCommand.MAPPER.createObjectNode();
        try (InferenceBackend backend = inference.open();
                CausalLanguageModel lm = backend.load(model)) {
            double[] losses = lm.windowLosses(windows);
            root.put("architecture", lm.architecture());
            root.put("parameters", lm.parameterCount());
            ArrayNode lossArray = root.putArray("losses");
            for (double loss : losses) {
                if (Double.isFinite(loss)) {
                    lossArray.add(loss);
                } else {
                    lossArray.addNull();
                }
            }
            double mean = TextLoss.taskValue(losses);
            if (Double.isFinite(mean)) {
                root.put("mean", mean);
            } else {
                root.putNull("mean");
            }
            if (sanity) {
                root.set("sanity", sanityCheck(lm, windows));
            }
        }
        spec.commandLine().getOut().println(ScoreCommand.MAPPER.writeValueAsString(root));
        return 0;
    }

    private static ObjectNode sanityCheck(CausalLanguageModel lm, List<int[]> windows) {
        if (windows.size() < 2
                || windows.get(0).length < OutputSanity.PROMPT_TOKENS
                || windows.get(1).length < OutputSanity.PROMPT_TOKENS) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "--sanity needs two windows of at least " + OutputSanity.PROMPT_TOKENS + " tokens");
        }
        int[] first = lm.generateGreedy(
                Arrays.copyOf(windows.get(0), OutputSanity.PROMPT_TOKENS), OutputSanity.NEW_TOKENS, lm.eosTokenId());
        int[] second = lm.generateGreedy(
                Arrays.copyOf(windows.get(1), OutputSanity.PROMPT_TOKENS), OutputSanity.NEW_TOKENS, lm.eosTokenId());
        ObjectNode node = ScoreCommand.MAPPER.createObjectNode();
        node.put("passed", OutputSanity.isReasonable(first, second));
        ArrayNode outputs = node.putArray("outputs");
        outputs.add(ScoreCommand.MAPPER.valueToTree(first));
        outputs.add(ScoreCommand.MAPPER.valueToTree(second));
        return node;
    }

    static List<int[]> readWindows(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, file + " does not exist or is not a file");
        }
        if (Files.size(file) > MAX_WINDOWS_BYTES) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, file + " is larger than 1 GiB");
        }
        JsonNode root;
        try {
            root = ScoreCommand.MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, file + " is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode array = root == null ? null : root.get("windows");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    file + " needs {\"windows\": [[token ids], ...]} with at least one window");
        }
        List<int[]> windows = new ArrayList<>();
        for (int w = 0; w < array.size(); w++) {
            JsonNode window = array.get(w);
            if (!window.isArray()) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT, file + ": windows[" + w + "] is not an array");
            }
            int[] ids = new int[window.size()];
            for (int t = 0; t < ids.length; t++) {
                JsonNode id = window.get(t);
                if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                    throw new Pretrain4jException(
                            DomainErrorCode.INVALID_ARGUMENT,
                            file + ": windows[" + w + "][" + t + "] is not an integer token id");
                }
                ids[t] = id.asInt();
            }
            windows.add(ids);
        }
        return windows;
    }
}
