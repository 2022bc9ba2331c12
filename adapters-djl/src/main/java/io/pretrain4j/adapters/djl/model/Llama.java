package io.pretrain4j.adapters.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Llama family ({@code LlamaForCausalLM}, {@code MistralForCausalLM}, {@code Qwen2ForCausalLM}):
 * RMSNorm, rotary position embeddings (rotate-half form), grouped-query attention, SwiGLU MLP,
 * optional q/k/v (Qwen2, {@code attention_bias}) and MLP biases, tied or separate output projection.
 */
public final class Llama extends Transformer {
    private final NDArray tokenEmbedding;
    private final NDArray output;
    private final Block[] blocks;
    private final NDArray finalWeight;
    private final Map<Integer, NDArray[]> rotary = new LinkedHashMap<>();

    private record Block(
            NDArray inputNorm,
            NDArray q,
            NDArray qb,
            NDArray k,
            NDArray kb,
            NDArray v,
            NDArray vb,
            NDArray o,
            NDArray ob,
            NDArray postNorm,
            NDArray gate,
            NDArray gateB,
            NDArray up,
            NDArray upB,
            NDArray down,
            NDArray downB) {}

    public Llama(ModelConfig c, NDManager manager, Weights weights) {
        super(c, manager);
        long d = c.hidden();
        long q = (long) c.heads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        long inner = c.intermediate();
        tokenEmbedding = weights.load("model.embed_tokens.weight", c.vocabSize(), d);
        blocks = new Block[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            String b = "model.layers." + i + ".";
            String a = b + "self_attn.";
            String m = b + "mlp.";
            blocks[i] = new Block(
                    weights.load(b + "input_layernorm.weight", d),
                    weights.load(a + "q_proj.weight", q, d),
                    c.qkvBias() ? weights.load(a + "q_proj.bias", q) : null,
                    weights.load(a + "k_proj.weight", kv, d),
                    c.qkvBias() ? weights.load(a + "k_proj.bias", kv) : null,
                    weights.load(a + "v_proj.weight", kv, d),
                    c.qkvBias() ? weights.load(a + "v_proj.bias", kv) : null,
                    weights.load(a + "o_proj.weight", d, q),
                    c.outputBias() ? weights.load(a + "o_proj.bias", d) : null,
                    weights.load(b + "post_attention_layernorm.weight", d),
                    weights.load(m + "gate_proj.weight", inner, d),
                    c.mlpBias() ? weights.load(m + "gate_proj.bias", inner) : null,
                    weights.load(m + "up_proj.weight", inner, d),
                    c.mlpBias() ? weights.load(m + "up_proj.bias", inner) : null,
                    weights.load(m + "down_proj.weight", d, inner),
                    c.mlpBias() ? weights.load(m + "down_proj.bias", d) : null);
            weights.skip(a + "rotary_emb.inv_freq");
        }
        finalWeight = weights.load("model.norm.weight", d);
        output = outputProjection(weights, tokenEmbedding);
    }

    @Override
    public NDArray outputWeight() {
        return output;
    }

    @Override
    protected NDArray embed(NDArray ids) {
        return Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    protected NDArray block(int layer, NDArray h, NDArray mask) {
        Block w = blocks[layer];
        int length = (int) h.getShape().get(1);
        NDArray[] cosSin = rotary(length);
        NDArray x = rmsNorm(h, w.inputNorm);
        NDArray q = rope(splitHeads(linear(x, w.q, w.qb), config.heads()), cosSin);
        NDArray k = rope(splitHeads(linear(x, w.k, w.kb), config.kvHeads()), cosSin);
        NDArray v = splitHeads(linear(x, w.v, w.vb), config.kvHeads());
        NDArray context = attention(q, k, v, mask, 1.0 / Math.sqrt(config.headDim()));
        h.addi(linear(context, w.o, w.ob));
        NDArray m = rmsNorm(h, w.postNorm);
        NDArray gated = activation(linear(m, w.gate, w.gateB)).muli(linear(m, w.up, w.upB));
        return h.addi(linear(gated, w.down, w.downB));
    }

    @Override
    protected NDArray finalNorm(NDArray h) {
        return rmsNorm(h, finalWeight);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }

    /** {@code w * x / sqrt(mean(x^2) + eps)} over the last axis. */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        NDArray normalized = x.div(variance.addi(config.normEps()).sqrt());
        variance.close();
        return normalized.muli(weight);
    }

    /** {@code x * cos + rotate_half(x) * sin}, x {@code [B, H, T, hd]}. */
    private static NDArray rope(NDArray x, NDArray[] cosSin) {
        NDList halves = split(x, 2);
        NDArray rotated = concatLast(halves.get(1).neg(), halves.get(0));
        return x.mul(cosSin[0]).addi(rotated.muli(cosSin[1]));
    }

    /** cos and sin tables {@code [T, hd]} for positions 0..T-1, cached per length. */
    private synchronized NDArray[] rotary(int length) {
        NDArray[] cached = rotary.get(length);
        if (cached != null) {
            return cached;
        }
        if (rotary.size() >= 4) {
            Integer oldest = rotary.keySet().iterator().next();
            for (NDArray array : rotary.remove(oldest)) {
                array.close();
            }
        }
        int headDim = config.headDim();
        float[][] cosSin = config.rope().cosSin(length, headDim);
        float[] cos = cosSin[0];
        float[] sin = cosSin[1];
        NDArray[] tables = {
            convert(HostArrays.create(manager, cos, new Shape(length, headDim))),
            convert(HostArrays.create(manager, sin, new Shape(length, headDim)))
        };
        rotary.put(length, tables);
        return tables;
    }

    private NDArray convert(NDArray array) {
        if (array.getDataType() == computeType()) {
            return array;
        }
        NDArray converted = array.toType(computeType(), false);
        array.close();
        return converted;
    }
}
