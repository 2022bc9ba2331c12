package io.pretrain4j.adapters.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.pretrain4j.adapters.djl.model.HostArrays;
import io.pretrain4j.adapters.djl.model.Transformer;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.evaluation.CausalLanguageModelBase;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded model: per-window mean cross-entropy of shifted logits (no ignored positions, as with
 * the reference's packed samples), windows of equal length batched up to a token budget, and
 * greedy generation without a KV cache (only the sanity check uses it: 2 x 20 tokens).
 */
final class DjlCausalLanguageModel extends CausalLanguageModelBase {
    private final Transformer transformer;
    private final ModelConfig config;

    DjlCausalLanguageModel(Transformer transformer, ModelConfig config, long parameters, int batchTokens) {
        super(config, parameters, batchTokens);
        this.transformer = transformer;
        this.config = config;
    }

    @Override
    protected double[] batchLosses(List<int[]> batch) {
        int length = batch.get(0).length;
        double[] losses = new double[batch.size()];
        long[] flat = new long[batch.size() * length];
        for (int b = 0; b < batch.size(); b++) {
            int[] window = batch.get(b);
            for (int t = 0; t < length; t++) {
                flat[b * length + t] = window[t];
            }
        }
        try (NDManager scope = transformer.outputWeight().getManager().newSubManager()) {
            NDArray ids = HostArrays.create(scope, flat, new Shape(batch.size(), length));
            NDArray hidden = transformer.hidden(ids);
            for (int b = 0; b < batch.size(); b++) {
                losses[b] = windowLoss(hidden, ids, b, length);
            }
            return losses;
        } catch (EngineException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED,
                    "PyTorch failed on a batch of " + batch.size() + " windows of " + length + " tokens: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Mean cross-entropy of window {@code b}: logits for positions 0..T-2 against tokens 1..T-1,
     * projected and log-softmaxed in row blocks of at most 256 MiB of logits (a whole window for
     * GPT-2 at 1024 tokens: smaller blocks re-read the output weight and measured slower).
     */
    private double windowLoss(NDArray hidden, NDArray ids, int b, int length) {
        int rows = length - 1;
        int block = (int) Math.max(32, Math.min(rows, (256L << 20) / ((long) config.vocabSize() * Float.BYTES)));
        double sum = 0;
        for (int start = 0; start < rows; start += block) {
            int end = Math.min(rows, start + block);
            try (NDManager blockScope = hidden.getManager().newSubManager()) {
                NDArray inputs = hidden.get(new NDIndex("{}, {}:{}", b, start, end));
                inputs.attach(blockScope);
                NDArray labels = ids.get(new NDIndex("{}, {}:{}", b, start + 1, end + 1));
                labels.attach(blockScope);
                NDArray logits =
                        Linear.linear(inputs, transformer.outputWeight()).singletonOrThrow();
                if (logits.getDataType() != DataType.FLOAT32) {
                    logits = logits.toType(DataType.FLOAT32, false);
                }
                NDArray logProbabilities = logits.logSoftmax(-1);
                logits.close();
                NDArray picked = logProbabilities.gather(labels.reshape(end - start, 1), 1);
                logProbabilities.close();
                sum += picked.sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return -sum / rows;
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
        long[] sequence = new long[prompt.length + newTokens];
        for (int i = 0; i < prompt.length; i++) {
            sequence[i] = prompt[i];
        }
        int[] generated = new int[newTokens];
        for (int step = 0; step < newTokens; step++) {
            int length = prompt.length + step;
            try (NDManager scope = transformer.outputWeight().getManager().newSubManager()) {
                NDArray ids = HostArrays.create(scope, Arrays.copyOf(sequence, length), new Shape(1, length));
                NDArray last = transformer.hidden(ids).get(new NDIndex("0, -1"));
                float[] logits = Linear.linear(last, transformer.outputWeight())
                        .singletonOrThrow()
                        .toType(DataType.FLOAT32, false)
                        .toFloatArray();
                int best = -1;
                for (int v = 0; v < logits.length; v++) {
                    if (v != suppressedToken && (best < 0 || logits[v] > logits[best])) {
                        best = v;
                    }
                }
                generated[step] = best;
                sequence[length] = best;
            }
        }
        return generated;
    }

    /** Arrays held by the model (weights and cached tables); tests use it to detect leaks. */
    int residentArrays() {
        return transformer.outputWeight().getManager() instanceof BaseNDManager base
                ? base.getManagedArrays().size()
                : -1;
    }

    @Override
    protected void release() {
        transformer.close();
        NativeHeap.trim();
    }
}
