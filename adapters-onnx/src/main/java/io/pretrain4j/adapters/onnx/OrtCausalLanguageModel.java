package io.pretrain4j.adapters.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pretrain4j.adapters.onnx.graph.TransformerGraph;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.evaluation.CausalLanguageModelBase;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model on ONNX Runtime. Windows of equal length are batched up to the token budget; the losses
 * come out of the graph, so logits never cross into Java except the last position's for greedy
 * decoding.
 */
final class OrtCausalLanguageModel extends CausalLanguageModelBase {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final ModelConfig config;
    private final boolean exported;

    OrtCausalLanguageModel(
            OrtEnvironment environment,
            OrtSession session,
            OrtSession.SessionOptions options,
            ModelConfig config,
            long parameters,
            int batchTokens,
            boolean exported) {
        super(config, parameters, batchTokens);
        this.exported = exported;
        this.environment = environment;
        this.session = session;
        this.options = options;
        this.config = config;
    }

    @Override
    protected double[] batchLosses(List<int[]> batch) {
        double[] losses = new double[batch.size()];
        if (exported) {
            float[] logits = run(batch, exportedOutput());
            for (int b = 0; b < batch.size(); b++) {
                losses[b] = lossFromLogits(logits, b, batch.get(b));
            }
        } else {
            float[] values = run(batch, TransformerGraph.LOSSES);
            for (int b = 0; b < values.length; b++) {
                losses[b] = values[b];
            }
        }
        return losses;
    }

    @Override
    public int[] generateGreedy(int[] prompt, int newTokens, int suppressedToken) {
        checkOpen();
        config.checkWindow(prompt, 1, "prompt");
        if (newTokens < 0 || prompt.length + newTokens > config.maxPositions()) {
            throw new Pretrain4jException(
                    InferenceErrorCode.INPUT_INVALID,
                    "prompt of " + prompt.length + " plus " + newTokens + " new tokens exceeds the model's "
                            + config.maxPositions() + " positions");
        }
        int[] sequence = Arrays.copyOf(prompt, prompt.length);
        int[] generated = new int[newTokens];
        for (int step = 0; step < newTokens; step++) {
            float[] logits = run(List.of(sequence), exported ? exportedOutput() : TransformerGraph.LAST_LOGITS);
            int base = exported ? (sequence.length - 1) * config.vocabSize() : 0;
            int best = -1;
            for (int token = 0; token < config.vocabSize(); token++) {
                if (token != suppressedToken && (best < 0 || logits[base + token] > logits[base + best])) {
                    best = token;
                }
            }
            generated[step] = best;
            sequence = Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = best;
        }
        return generated;
    }

    private String exportedOutput() {
        return session.getOutputNames().contains(TransformerGraph.LOGITS)
                ? TransformerGraph.LOGITS
                : session.getOutputNames().iterator().next();
    }

    /** Mean next-token cross-entropy of window {@code b} from its {@code [seq, vocab]} logits, in double. */
    private double lossFromLogits(float[] logits, int b, int[] window) {
        int vocab = config.vocabSize();
        long base = (long) b * window.length * vocab;
        double total = 0;
        for (int t = 0; t + 1 < window.length; t++) {
            long row = base + (long) t * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[(int) (row + v)]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[(int) (row + v)] - max);
            }
            total += max + Math.log(sum) - logits[(int) (row + window[t + 1])];
        }
        return total / (window.length - 1);
    }

    /** Runs a batch of equal-length windows and returns {@code output} flattened. */
    private float[] run(List<int[]> windows, String output) {
        int length = windows.get(0).length;
        long[] flat = new long[windows.size() * length];
        for (int b = 0; b < windows.size(); b++) {
            int[] window = windows.get(b);
            for (int t = 0; t < length; t++) {
                flat[b * length + t] = window[t];
            }
        }
        try (OnnxTensor ids = OnnxTensor.createTensor(
                        environment, LongBuffer.wrap(flat), new long[] {windows.size(), length});
                OnnxTensor mask = exported && session.getInputNames().contains("attention_mask")
                        ? ones(windows.size(), length)
                        : null;
                OnnxTensor positionIds = exported && session.getInputNames().contains("position_ids")
                        ? positions(windows.size(), length)
                        : null;
                OrtSession.Result result = session.run(inputs(ids, mask, positionIds), Set.of(output))) {
            OnnxTensor tensor = (OnnxTensor) result.get(output).orElseThrow();
            float[] values = new float[(int) tensor.getInfo().getNumElements()];
            tensor.getFloatBuffer().get(values);
            return values;
        } catch (OrtException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED,
                    "ONNX Runtime failed on a batch of " + windows.size() + " windows of " + length + " tokens: "
                            + e.getMessage(),
                    e);
        }
    }

    private Map<String, OnnxTensor> inputs(OnnxTensor ids, OnnxTensor mask, OnnxTensor positionIds) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put(TransformerGraph.INPUT, ids);
        if (mask != null) {
            inputs.put("attention_mask", mask);
        }
        if (positionIds != null) {
            inputs.put("position_ids", positionIds);
        }
        return inputs;
    }

    private OnnxTensor ones(int batch, int length) throws OrtException {
        long[] values = new long[batch * length];
        Arrays.fill(values, 1);
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), new long[] {batch, length});
    }

    private OnnxTensor positions(int batch, int length) throws OrtException {
        long[] values = new long[batch * length];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % length;
        }
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), new long[] {batch, length});
    }

    @Override
    protected void release() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED, "closing the ONNX Runtime session: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }
}
