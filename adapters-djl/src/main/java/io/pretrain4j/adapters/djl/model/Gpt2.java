package io.pretrain4j.adapters.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.pretrain4j.ports.inference.ModelConfig;

/**
 * GPT-2 ({@code GPT2LMHeadModel}): learned positions, pre-LayerNorm blocks, fused c_attn, Conv1D
 * weights (stored {@code [in, out]}, transposed at load), {@code gelu_new} MLP, output projection
 * tied to the token embedding unless {@code tie_word_embeddings} is false.
 */
public final class Gpt2 extends Transformer {
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final NDArray output;
    private final Block[] blocks;
    private final NDArray finalWeight;
    private final NDArray finalBias;

    private record Block(
            NDArray ln1w,
            NDArray ln1b,
            NDArray attnW,
            NDArray attnB,
            NDArray projW,
            NDArray projB,
            NDArray ln2w,
            NDArray ln2b,
            NDArray fcW,
            NDArray fcB,
            NDArray outW,
            NDArray outB) {}

    public Gpt2(ModelConfig c, NDManager manager, Weights weights) {
        super(c, manager);
        String p = weights.has("transformer.wte.weight") || !weights.has("wte.weight") ? "transformer." : "";
        long d = c.hidden();
        tokenEmbedding = weights.load(p + "wte.weight", c.vocabSize(), d);
        positionEmbedding = weights.load(p + "wpe.weight", c.maxPositions(), d);
        blocks = new Block[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            String b = p + "h." + i + ".";
            blocks[i] = new Block(
                    weights.load(b + "ln_1.weight", d), weights.load(b + "ln_1.bias", d),
                    weights.loadTransposed(b + "attn.c_attn.weight", d, 3 * d),
                            weights.load(b + "attn.c_attn.bias", 3 * d),
                    weights.loadTransposed(b + "attn.c_proj.weight", d, d), weights.load(b + "attn.c_proj.bias", d),
                    weights.load(b + "ln_2.weight", d), weights.load(b + "ln_2.bias", d),
                    weights.loadTransposed(b + "mlp.c_fc.weight", d, c.intermediate()),
                            weights.load(b + "mlp.c_fc.bias", c.intermediate()),
                    weights.loadTransposed(b + "mlp.c_proj.weight", c.intermediate(), d),
                            weights.load(b + "mlp.c_proj.bias", d));
            // causal-mask buffers of old checkpoints; the mask is rebuilt here
            weights.skip(b + "attn.bias");
            weights.skip(b + "attn.masked_bias");
        }
        finalWeight = weights.load(p + "ln_f.weight", d);
        finalBias = weights.load(p + "ln_f.bias", d);
        output = outputProjection(weights, tokenEmbedding);
    }

    @Override
    public NDArray outputWeight() {
        return output;
    }

    @Override
    protected NDArray embed(NDArray ids) {
        long length = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64);
        NDArray tokens =
                Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
        NDArray pos = Embedding.embedding(positions, positionEmbedding, SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray h = tokens.addi(pos);
        pos.close();
        positions.close();
        return h;
    }

    @Override
    protected NDArray block(int layer, NDArray h, NDArray mask) {
        Block w = blocks[layer];
        NDArray a = norm(h, w.ln1w, w.ln1b);
        NDArray qkv = Linear.linear(a, w.attnW, w.attnB).singletonOrThrow();
        NDList parts = split(qkv, 3);
        double scale = 1.0 / Math.sqrt(config.headDim());
        if (config.scaleByInverseLayer()) {
            scale /= layer + 1;
        }
        NDArray context = attention(
                splitHeads(parts.get(0), config.heads()),
                splitHeads(parts.get(1), config.heads()),
                splitHeads(parts.get(2), config.heads()),
                mask,
                scale);
        h.addi(Linear.linear(context, w.projW, w.projB).singletonOrThrow());
        NDArray m = norm(h, w.ln2w, w.ln2b);
        NDArray f = activation(Linear.linear(m, w.fcW, w.fcB).singletonOrThrow());
        return h.addi(Linear.linear(f, w.outW, w.outB).singletonOrThrow());
    }

    @Override
    protected NDArray finalNorm(NDArray h) {
        return norm(h, finalWeight, finalBias);
    }

    private NDArray norm(NDArray x, NDArray weight, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(config.hidden()), weight, bias, (float) config.normEps())
                .singletonOrThrow();
    }
}
