package io.pretrain4j.plugins.testkit.inference;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.formats.safetensors.TensorEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent reference forward pass for the tiny models {@link SyntheticModels} writes: plain
 * Java loops in double precision, written from the transformers model definitions (GPT-2 and the
 * Llama family), sharing no code with any backend. Backends are checked against it.
 *
 * <p>It reads the weights through the safetensors reader (widened floats), so it checks the
 * arithmetic of a backend, not its file handling. Cost is O(T^2 d + T d V) per window: tiny models only.
 */
public final class NaiveCausalLm {
    private final ModelSpec spec;
    private final Map<String, double[]> weights = new HashMap<>();
    private final int headDim;

    /** Reads the weights of a model written from {@code spec} into {@code directory}. */
    public NaiveCausalLm(Path directory, ModelSpec spec) {
        this.spec = spec;
        this.headDim = spec.hidden() / spec.heads();
        try (SafetensorsModel model = SafetensorsModel.open(directory)) {
            for (TensorEntry entry : model.tensors().values()) {
                float[] values = new float[(int) entry.elementCount()];
                ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
                model.readFloats(entry.name(), 0, values.length, buffer);
                buffer.flip();
                buffer.asFloatBuffer().get(values);
                double[] widened = new double[values.length];
                for (int i = 0; i < values.length; i++) {
                    widened[i] = values[i];
                }
                weights.put(entry.name(), widened);
            }
        }
    }

    /** Mean cross-entropy of predicting {@code window[t+1]} from {@code window[0..t]}. */
    public double windowLoss(int[] window) {
        double[][] logits = logits(window);
        double sum = 0;
        for (int t = 0; t < window.length - 1; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits[t]) {
                max = Math.max(max, l);
            }
            double z = 0;
            for (double l : logits[t]) {
                z += Math.exp(l - max);
            }
            sum += max + Math.log(z) - logits[t][window[t + 1]];
        }
        return sum / (window.length - 1);
    }

    /** Greedy continuation of {@code prompt} by {@code count} tokens, never choosing {@code suppressed}. */
    public int[] greedy(int[] prompt, int count, int suppressed) {
        int[] sequence = Arrays.copyOf(prompt, prompt.length + count);
        for (int step = 0; step < count; step++) {
            int length = prompt.length + step;
            double[] last = logits(Arrays.copyOf(sequence, length))[length - 1];
            int best = -1;
            for (int v = 0; v < last.length; v++) {
                if (v != suppressed && (best < 0 || last[v] > last[best])) {
                    best = v;
                }
            }
            sequence[length] = best;
        }
        return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
    }

    /** Logits {@code [T][V]}. */
    public double[][] logits(int[] ids) {
        int length = ids.length;
        int d = spec.hidden();
        boolean gpt2 = spec.family() == Family.GPT2;
        double[][] h = new double[length][];
        double[] embedding = w(gpt2 ? "transformer.wte.weight" : "model.embed_tokens.weight");
        for (int t = 0; t < length; t++) {
            h[t] = new double[d];
            for (int i = 0; i < d; i++) {
                h[t][i] = embedding[ids[t] * d + i];
                if (gpt2) {
                    h[t][i] += w("transformer.wpe.weight")[t * d + i];
                }
            }
        }
        for (int layer = 0; layer < spec.layers(); layer++) {
            h = gpt2 ? gpt2Block(layer, h) : llamaBlock(layer, h);
        }
        double[] output = spec.tied() ? embedding : w("lm_head.weight");
        double[][] logits = new double[length][spec.vocab()];
        for (int t = 0; t < length; t++) {
            double[] x = gpt2 ? layerNorm(h[t], "transformer.ln_f.") : rmsNorm(h[t], w("model.norm.weight"));
            for (int v = 0; v < spec.vocab(); v++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += x[i] * output[v * d + i];
                }
                logits[t][v] = dot;
            }
        }
        return logits;
    }

    private double[][] gpt2Block(int layer, double[][] h) {
        String p = "transformer.h." + layer + ".";
        int d = spec.hidden();
        int length = h.length;
        double[][] q = new double[length][];
        double[][] k = new double[length][];
        double[][] v = new double[length][];
        for (int t = 0; t < length; t++) {
            // Conv1D: y = x W + b with W stored [in, out]
            double[] qkv =
                    conv1d(layerNorm(h[t], p + "ln_1."), w(p + "attn.c_attn.weight"), w(p + "attn.c_attn.bias"), 3 * d);
            q[t] = Arrays.copyOfRange(qkv, 0, d);
            k[t] = Arrays.copyOfRange(qkv, d, 2 * d);
            v[t] = Arrays.copyOfRange(qkv, 2 * d, 3 * d);
        }
        double[][] context = attention(q, k, v, spec.heads(), spec.heads());
        double[][] out = new double[length][];
        for (int t = 0; t < length; t++) {
            double[] x = add(h[t], conv1d(context[t], w(p + "attn.c_proj.weight"), w(p + "attn.c_proj.bias"), d));
            double[] f = conv1d(
                    layerNorm(x, p + "ln_2."), w(p + "mlp.c_fc.weight"), w(p + "mlp.c_fc.bias"), spec.intermediate());
            for (int i = 0; i < f.length; i++) {
                double z = f[i];
                f[i] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
            out[t] = add(x, conv1d(f, w(p + "mlp.c_proj.weight"), w(p + "mlp.c_proj.bias"), d));
        }
        return out;
    }

    private double[][] llamaBlock(int layer, double[][] h) {
        String p = "model.layers." + layer + ".";
        int length = h.length;
        int qWidth = spec.heads() * headDim;
        int kvWidth = spec.kvHeads() * headDim;
        boolean bias = spec.family() == Family.QWEN2;
        double[][] q = new double[length][];
        double[][] k = new double[length][];
        double[][] v = new double[length][];
        for (int t = 0; t < length; t++) {
            double[] x = rmsNorm(h[t], w(p + "input_layernorm.weight"));
            q[t] = rope(
                    linear(x, w(p + "self_attn.q_proj.weight"), bias ? w(p + "self_attn.q_proj.bias") : null, qWidth),
                    t,
                    spec.heads());
            k[t] = rope(
                    linear(x, w(p + "self_attn.k_proj.weight"), bias ? w(p + "self_attn.k_proj.bias") : null, kvWidth),
                    t,
                    spec.kvHeads());
            v[t] = linear(x, w(p + "self_attn.v_proj.weight"), bias ? w(p + "self_attn.v_proj.bias") : null, kvWidth);
        }
        double[][] context = attention(q, k, v, spec.heads(), spec.kvHeads());
        double[][] out = new double[length][];
        for (int t = 0; t < length; t++) {
            double[] x = add(h[t], linear(context[t], w(p + "self_attn.o_proj.weight"), null, spec.hidden()));
            double[] m = rmsNorm(x, w(p + "post_attention_layernorm.weight"));
            double[] gate = linear(m, w(p + "mlp.gate_proj.weight"), null, spec.intermediate());
            double[] up = linear(m, w(p + "mlp.up_proj.weight"), null, spec.intermediate());
            for (int i = 0; i < gate.length; i++) {
                gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
            }
            out[t] = add(x, linear(gate, w(p + "mlp.down_proj.weight"), null, spec.hidden()));
        }
        return out;
    }

    /** Causal attention; head h reads key/value head {@code h / (heads / kvHeads)}. */
    private double[][] attention(double[][] q, double[][] k, double[][] v, int heads, int kvHeads) {
        int length = q.length;
        int group = heads / kvHeads;
        double[][] out = new double[length][heads * headDim];
        for (int head = 0; head < heads; head++) {
            int kvHead = head / group;
            for (int t = 0; t < length; t++) {
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < headDim; i++) {
                        dot += q[t][head * headDim + i] * k[s][kvHead * headDim + i];
                    }
                    scores[s] = dot / Math.sqrt(headDim);
                    max = Math.max(max, scores[s]);
                }
                double z = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    z += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int i = 0; i < headDim; i++) {
                        out[t][head * headDim + i] += scores[s] / z * v[s][kvHead * headDim + i];
                    }
                }
            }
        }
        return out;
    }

    /** Rotate-half rotary embedding at position {@code t} with theta 10000. */
    private double[] rope(double[] x, int t, int heads) {
        int half = headDim / 2;
        double[] out = x.clone();
        for (int head = 0; head < heads; head++) {
            int base = head * headDim;
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(10000.0, -2.0 * i / headDim);
                double a = x[base + i];
                double b = x[base + i + half];
                out[base + i] = a * Math.cos(angle) - b * Math.sin(angle);
                out[base + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
        return out;
    }

    private double[] layerNorm(double[] x, String prefix) {
        double mean = 0;
        for (double value : x) {
            mean += value;
        }
        mean /= x.length;
        double variance = 0;
        for (double value : x) {
            variance += (value - mean) * (value - mean);
        }
        variance /= x.length;
        double[] gamma = w(prefix + "weight");
        double[] beta = w(prefix + "bias");
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(variance + 1e-5) * gamma[i] + beta[i];
        }
        return out;
    }

    private static double[] rmsNorm(double[] x, double[] weight) {
        double meanSquare = 0;
        for (double value : x) {
            meanSquare += value * value;
        }
        meanSquare /= x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / Math.sqrt(meanSquare + 1e-6) * weight[i];
        }
        return out;
    }

    /** {@code x W + b}, W stored {@code [in, out]}. */
    private static double[] conv1d(double[] x, double[] weight, double[] bias, int out) {
        double[] y = bias.clone();
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                y[o] += x[i] * weight[i * out + o];
            }
        }
        return y;
    }

    /** {@code x W^T + b}, W stored {@code [out, in]}. */
    private static double[] linear(double[] x, double[] weight, double[] bias, int out) {
        double[] y = bias == null ? new double[out] : bias.clone();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < x.length; i++) {
                y[o] += x[i] * weight[o * x.length + i];
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private double[] w(String name) {
        double[] values = weights.get(name);
        if (values == null) {
            throw new IllegalArgumentException("the model has no tensor " + name);
        }
        return values;
    }
}
