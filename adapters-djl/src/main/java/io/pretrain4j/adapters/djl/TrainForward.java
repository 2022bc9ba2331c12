package io.pretrain4j.adapters.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.pretrain4j.adapters.djl.model.HostArrays;
import io.pretrain4j.ports.inference.ModelConfig;
import java.util.Map;

/**
 * The forward pass for training, written without in-place operations so that autograd can
 * differentiate it: GPT-2 (learned positions, LayerNorm, Conv1D weights stored {@code [in, out]})
 * and the Llama family (RMSNorm, rotary positions, SwiGLU, grouped-query attention, Qwen2's q/k/v
 * biases). Parameters are held under their Hugging Face names and layouts, so saving writes them as
 * they are. The inference backend's forward pass ({@code model} package) is the reference it is
 * tested against.
 */
final class TrainForward {
    private final ModelConfig config;
    private final Map<String, NDArray> parameters;
    private final String gpt2Prefix;

    TrainForward(ModelConfig config, Map<String, NDArray> parameters, String gpt2Prefix) {
        this.config = config;
        this.parameters = parameters;
        this.gpt2Prefix = gpt2Prefix;
    }

    /** Mean cross-entropy of shifted logits over windows {@code ids [B, T]}, a scalar. */
    NDArray loss(NDArray ids) {
        NDManager scope = ids.getManager();
        long batch = ids.getShape().get(0);
        int length = (int) ids.getShape().get(1);
        NDArray h = config.family() == ModelConfig.Family.GPT2 ? gpt2(ids, length) : llama(ids, length);
        NDArray inputs = h.get(new NDIndex(":, :-1, :"));
        NDArray logits = inputs.matMul(output().transpose());
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray labels = ids.get(new NDIndex(":, 1:")).reshape(batch, length - 1, 1);
        NDArray picked = logProbabilities.gather(labels, 2);
        return picked.mean().neg();
    }

    private NDArray output() {
        if (config.tied()) {
            return config.family() == ModelConfig.Family.GPT2
                    ? p(gpt2Prefix + "wte.weight")
                    : p("model.embed_tokens.weight");
        }
        return p("lm_head.weight");
    }

    private NDArray gpt2(NDArray ids, int length) {
        NDManager scope = ids.getManager();
        String t = gpt2Prefix;
        NDArray positions = scope.arange(0, length, 1, DataType.INT64);
        NDArray h = Embedding.embedding(ids, p(t + "wte.weight"), SparseFormat.DENSE)
                .singletonOrThrow()
                .add(Embedding.embedding(positions, p(t + "wpe.weight"), SparseFormat.DENSE)
                        .singletonOrThrow());
        NDArray mask = causalMask(scope, length);
        for (int i = 0; i < config.layers(); i++) {
            String b = t + "h." + i + ".";
            NDArray a = layerNorm(h, b + "ln_1");
            NDArray qkv = a.matMul(p(b + "attn.c_attn.weight")).add(p(b + "attn.c_attn.bias"));
            NDList parts = qkv.split(3, 2);
            NDArray context = attention(
                    heads(parts.get(0), config.heads()),
                    heads(parts.get(1), config.heads()),
                    heads(parts.get(2), config.heads()),
                    mask);
            h = h.add(context.matMul(p(b + "attn.c_proj.weight")).add(p(b + "attn.c_proj.bias")));
            NDArray m = layerNorm(h, b + "ln_2");
            NDArray f = geluTanh(m.matMul(p(b + "mlp.c_fc.weight")).add(p(b + "mlp.c_fc.bias")));
            h = h.add(f.matMul(p(b + "mlp.c_proj.weight")).add(p(b + "mlp.c_proj.bias")));
        }
        return layerNorm(h, t + "ln_f");
    }

    private NDArray llama(NDArray ids, int length) {
        NDManager scope = ids.getManager();
        NDArray h = Embedding.embedding(ids, p("model.embed_tokens.weight"), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray mask = causalMask(scope, length);
        NDArray[] cosSin = rotary(scope, length);
        for (int i = 0; i < config.layers(); i++) {
            String b = "model.layers." + i + ".";
            NDArray x = rmsNorm(h, p(b + "input_layernorm.weight"));
            NDArray q = rope(heads(linear(x, b + "self_attn.q_proj", config.qkvBias()), config.heads()), cosSin);
            NDArray k = rope(heads(linear(x, b + "self_attn.k_proj", config.qkvBias()), config.kvHeads()), cosSin);
            NDArray v = heads(linear(x, b + "self_attn.v_proj", config.qkvBias()), config.kvHeads());
            int repeats = config.heads() / config.kvHeads();
            if (repeats > 1) {
                k = repeatKv(k, repeats);
                v = repeatKv(v, repeats);
            }
            h = h.add(linear(attention(q, k, v, mask), b + "self_attn.o_proj", false));
            NDArray m = rmsNorm(h, p(b + "post_attention_layernorm.weight"));
            NDArray gate = linear(m, b + "mlp.gate_proj", false);
            NDArray gated = Activation.sigmoid(gate).mul(gate).mul(linear(m, b + "mlp.up_proj", false));
            h = h.add(linear(gated, b + "mlp.down_proj", false));
        }
        return rmsNorm(h, p("model.norm.weight"));
    }

    private NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
        long batch = q.getShape().get(0);
        long length = q.getShape().get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2))
                .mul(1.0 / Math.sqrt(config.headDim()))
                .add(mask);
        NDArray context = scores.softmax(-1).matMul(v);
        return context.transpose(0, 2, 1, 3).reshape(batch, length, (long) config.heads() * config.headDim());
    }

    private NDArray heads(NDArray x, int count) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], count, config.headDim()).transpose(0, 2, 1, 3);
    }

    private static NDArray repeatKv(NDArray x, int repeats) {
        long[] s = x.getShape().getShape();
        return x.expandDims(2).repeat(2, repeats).reshape(s[0], s[1] * repeats, s[2], s[3]);
    }

    private NDArray linear(NDArray x, String name, boolean bias) {
        return (bias ? Linear.linear(x, p(name + ".weight"), p(name + ".bias")) : Linear.linear(x, p(name + ".weight")))
                .singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(
                        x, new Shape(config.hidden()), p(name + ".weight"), p(name + ".bias"), (float) config.normEps())
                .singletonOrThrow();
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(config.normEps()).sqrt()).mul(weight);
    }

    private static NDArray rope(NDArray x, NDArray[] cosSin) {
        NDList halves = x.split(2, 3);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }

    /** gelu_new: {@code x * sigmoid(2c (x + 0.044715 x^3))}, c = sqrt(2/pi). */
    private NDArray geluTanh(NDArray x) {
        if (!config.activation().startsWith("gelu")) {
            return config.activation().equals("relu")
                    ? Activation.relu(x)
                    : Activation.sigmoid(x).mul(x);
        }
        double c2 = 2 * Math.sqrt(2 / Math.PI);
        return Activation.sigmoid(x.mul(x).mul(0.044715 * c2).add(c2).mul(x)).mul(x);
    }

    private NDArray causalMask(NDManager scope, int length) {
        float[] values = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                values[i * length + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return HostArrays.create(scope, values, new Shape(length, length));
    }

    private NDArray[] rotary(NDManager scope, int length) {
        int headDim = config.headDim();
        float[][] tables = config.rope().cosSin(length, headDim);
        return new NDArray[] {
            HostArrays.create(scope, tables[0], new Shape(length, headDim)),
            HostArrays.create(scope, tables[1], new Shape(length, headDim))
        };
    }

    private NDArray p(String name) {
        NDArray array = parameters.get(name);
        if (array == null) {
            throw new IllegalStateException("parameter " + name + " was not loaded");
        }
        return array;
    }
}
