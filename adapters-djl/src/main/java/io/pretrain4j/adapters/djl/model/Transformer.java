package io.pretrain4j.adapters.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder-only transformer built from NDArray operations: token ids {@code [B, T]} in, final
 * hidden states {@code [B, T, d]} out; {@link #outputWeight()} projects them onto the vocabulary.
 * Intermediate arrays of each block live in a sub-manager closed when the block ends, so a forward
 * pass holds at most one block's activations besides the residual stream.
 */
public abstract class Transformer implements AutoCloseable {
    protected final ModelConfig config;
    protected final NDManager manager;
    private final Map<Integer, NDArray> masks = new LinkedHashMap<>();

    protected Transformer(ModelConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
    }

    /** The configuration. */
    public ModelConfig config() {
        return config;
    }

    /** The output projection {@code [vocab, d]}. */
    public abstract NDArray outputWeight();

    /**
     * The output projection: the token embedding when tied (a stored {@code lm_head.weight} is then
     * ignored, as transformers ties it), else {@code lm_head.weight} {@code [vocab, d]}.
     */
    protected NDArray outputProjection(Weights weights, NDArray tokenEmbedding) {
        if (config.tied()) {
            weights.skip("lm_head.weight");
            return tokenEmbedding;
        }
        return weights.load("lm_head.weight", config.vocabSize(), config.hidden());
    }

    /** Token embeddings (plus positions for GPT-2) of {@code ids}, {@code [B, T, d]}. */
    protected abstract NDArray embed(NDArray ids);

    /** One block applied to the residual stream {@code h}; may update {@code h} in place. */
    protected abstract NDArray block(int layer, NDArray h, NDArray mask);

    /** The final normalisation. */
    protected abstract NDArray finalNorm(NDArray h);

    /** Final hidden states of {@code ids} ({@code [B, T]}, INT64, on the model's device). */
    public NDArray hidden(NDArray ids) {
        NDManager scope = ids.getManager();
        int length = (int) ids.getShape().get(1);
        NDArray mask = mask(length);
        NDArray h = embed(ids);
        for (int layer = 0; layer < config.layers(); layer++) {
            try (NDManager blockScope = scope.newSubManager()) {
                h.attach(blockScope);
                NDArray out = block(layer, h, mask);
                out.attach(scope);
                h = out;
            }
        }
        return finalNorm(h);
    }

    /** The additive causal mask {@code [T, T]}: 0 where attention is allowed, -inf elsewhere. */
    private synchronized NDArray mask(int length) {
        NDArray cached = masks.get(length);
        if (cached != null) {
            return cached;
        }
        if (masks.size() >= 4) {
            Integer oldest = masks.keySet().iterator().next();
            masks.remove(oldest).close();
        }
        float[] values = new float[length * length];
        int window = config.slidingWindow();
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                boolean allowed = j <= i && (window <= 0 || i - j < window);
                values[i * length + j] = allowed ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        NDArray mask = HostArrays.create(manager, values, new Shape(length, length));
        if (mask.getDataType() != computeType()) {
            NDArray converted = mask.toType(computeType(), false);
            mask.close();
            mask = converted;
        }
        masks.put(length, mask);
        return mask;
    }

    /** The data type activations are computed in. */
    protected DataType computeType() {
        return outputWeight().getDataType();
    }

    /**
     * Scaled dot-product causal attention over {@code q [B, H, T, hd]}, {@code k, v [B, KV, T, hd]}
     * with grouped-query repetition; returns {@code [B, T, H * hd]}.
     *
     * <p>Queries are processed in row blocks sized so a block's scores stay in cache, and each block
     * only multiplies against the keys it may see (causal, and within the sliding window): about
     * half the work and memory traffic of the full {@code T x T} product, same result.
     */
    protected NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, double scale) {
        long batch = q.getShape().get(0);
        int length = (int) q.getShape().get(2);
        int repeats = config.heads() / config.kvHeads();
        if (repeats > 1) {
            k = repeatKv(k, repeats);
            v = repeatKv(v, repeats);
        }
        NDArray scaled = q.mul(scale);
        NDArray keysT = k.transpose(0, 1, 3, 2);
        int block = queryBlock(batch, length);
        NDList blocks = new NDList();
        for (int start = 0; start < length; start += block) {
            int end = Math.min(length, start + block);
            int keyStart = config.slidingWindow() > 0 ? Math.max(0, start - config.slidingWindow() + 1) : 0;
            NDArray scores = scaled.get(new NDIndex(":, :, {}:{}, :", start, end))
                    .matMul(keysT.get(new NDIndex(":, :, :, {}:{}", keyStart, end)));
            // the mask lives with the model: its slice must go to this pass's manager, not the model's
            NDArray maskBlock = mask.get(scaled.getManager(), new NDIndex("{}:{}, {}:{}", start, end, keyStart, end));
            scores.addi(maskBlock);
            maskBlock.close();
            NDArray probabilities = scores.softmax(-1);
            scores.close();
            blocks.add(probabilities.matMul(v.get(new NDIndex(":, :, {}:{}, :", keyStart, end))));
            probabilities.close();
        }
        NDArray context = blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 2);
        return context.transpose(0, 2, 1, 3).reshape(batch, length, (long) config.heads() * config.headDim());
    }

    /**
     * Query rows per attention block: the block's scores take about 6 MiB (128 rows at GPT-2 small's
     * 12 heads x 1024 keys, measured fastest on a 2-core Xeon), at least 32 rows.
     */
    private int queryBlock(long batch, int length) {
        long bytesPerRow = batch * config.heads() * (long) length * Float.BYTES;
        return (int) Math.max(32, Math.min(length, (6L << 20) / Math.max(1, bytesPerRow)));
    }

    private NDArray repeatKv(NDArray x, int repeats) {
        long[] s = x.getShape().getShape();
        return x.expandDims(2).repeat(2, repeats).reshape(s[0], s[1] * repeats, s[2], s[3]);
    }

    /** {@code [B, T, heads * hd]} to {@code [B, heads, T, hd]}. */
    protected NDArray splitHeads(NDArray x, int heads) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], heads, config.headDim()).transpose(0, 2, 1, 3);
    }

    /** The configured MLP activation. */
    protected NDArray activation(NDArray x) {
        return switch (config.activation()) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(x);
            case "gelu" -> Activation.gelu(x);
            case "relu" -> Activation.relu(x);
            case "silu", "swish" -> Activation.sigmoid(x).muli(x);
            default -> throw new IllegalStateException("activation validated at load: " + config.activation());
        };
    }

    /**
     * {@code gelu_new}: {@code 0.5 x (1 + tanh(c (x + 0.044715 x^3)))} with {@code c = sqrt(2/pi)},
     * computed as the identical {@code x * sigmoid(2c x (1 + 0.044715 x^2))} in fewer passes.
     */
    private static NDArray geluTanh(NDArray x) {
        double c2 = 2 * Math.sqrt(2 / Math.PI);
        NDArray inner = x.square().muli(0.044715 * c2).addi(c2).muli(x);
        NDArray gate = Activation.sigmoid(inner);
        inner.close();
        return gate.muli(x);
    }

    /** Splits the last axis into equal parts. */
    protected static NDList split(NDArray x, int parts) {
        return x.split(parts, x.getShape().dimension() - 1);
    }

    /** Concatenates along the last axis. */
    protected static NDArray concatLast(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), a.getShape().dimension() - 1);
    }

    @Override
    public void close() {
        masks.values().forEach(NDArray::close);
        masks.clear();
        manager.close();
    }
}
