package io.pretrain4j.ports.inference;

import java.util.List;

/**
 * Rotary position embeddings as transformers (5.x, {@code modeling_rope_utils}) computes them for
 * the Llama family, in float32 arithmetic step by step as torch does it: {@code default},
 * {@code linear}, {@code dynamic} (NTK, depends on the window's length), {@code yarn} (with its
 * attention factor), {@code longrope} (short or long factors by the window's length, attention
 * factor) and {@code llama3}. The cos and sin tables are multiplied by the attention factor, as
 * {@code LlamaRotaryEmbedding.forward} does. {@code lib/formats}' {@code RopeReader} builds it from a
 * config's {@code rope_scaling} or {@code rope_parameters}.
 *
 * @param type the rope type
 * @param theta {@code rope_theta}
 * @param inverseFrequencies the frequencies for windows up to {@link #lengthBound} tokens (float32 values)
 * @param attentionFactor the factor cos and sin are multiplied by (1 but for yarn and longrope)
 * @param lengthBound windows longer than this use {@link #longFrequencies} (dynamic: recomputed; longrope: long factors);
 *     {@link Integer#MAX_VALUE} when the frequencies do not depend on the length
 * @param longFrequencies longrope's frequencies for long windows (null for other types)
 * @param dynamicFactor dynamic NTK's {@code factor} (0 for other types)
 */
public record Rope(
        String type,
        double theta,
        double[] inverseFrequencies,
        double attentionFactor,
        int lengthBound,
        double[] longFrequencies,
        double dynamicFactor) {
    /** The types transformers implements for Llama, Mistral and Qwen2 (and pretrain4j with it). */
    public static final List<String> TYPES = List.of("default", "linear", "dynamic", "yarn", "longrope", "llama3");

    public Rope {
        inverseFrequencies = inverseFrequencies.clone();
        longFrequencies = longFrequencies == null ? null : longFrequencies.clone();
    }

    @Override
    public double[] inverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /** Whether the frequencies change with the window's length (dynamic, longrope). */
    public boolean lengthDependent() {
        return lengthBound != Integer.MAX_VALUE;
    }

    /** The frequencies used for a window of {@code length} tokens (position ids 0 .. length-1). */
    public double[] inverseFrequencies(int length) {
        if (length <= lengthBound) {
            return inverseFrequencies.clone();
        }
        if (longFrequencies != null) {
            return longFrequencies.clone();
        }
        // dynamic NTK: transformers recomputes with seq_len = max(position_ids) + 1 (a tensor, so in float32) once it
        // exceeds max_position_embeddings: base * ((factor * seq_len / max_pos) - (factor - 1)) ** (dim / (dim - 2))
        int dim = inverseFrequencies.length * 2;
        float scaled = (float) length * (float) dynamicFactor / (float) lengthBound - (float) (dynamicFactor - 1);
        float base = (float) theta * (float) Math.pow(scaled, (float) ((double) dim / (dim - 2)));
        return defaultFrequencies(base, dim);
    }

    /**
     * The cos and sin tables {@code [length, headDim]} (row-major) for positions 0..length-1, with
     * the angle {@code t * inv_freq[i]} in float32 as transformers computes it, each half of a row
     * repeating the other ({@code cat(freqs, freqs)}), times the attention factor.
     */
    public float[][] cosSin(int length, int headDim) {
        int half = headDim / 2;
        double[] inv = inverseFrequencies(length);
        float scale = (float) attentionFactor;
        float[] cos = new float[length * headDim];
        float[] sin = new float[length * headDim];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) t * (float) inv[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                if (scale != 1f) {
                    c *= scale;
                    s *= scale;
                }
                cos[t * headDim + i] = c;
                cos[t * headDim + i + half] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + i + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }

    /** transformers: {@code 1 / base ** (arange(0, dim, 2).float() / dim)}, in float32. */
    public static double[] defaultFrequencies(double base, int dim) {
        float[] pos = positionFrequencies(base, dim);
        double[] inv = new double[pos.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1f / pos[i]; // 1.0 / tensor is a float32 reciprocal
        }
        return inv;
    }

    /** {@code base ** (arange(0, dim, 2).float() / dim)} in float32 (yarn and longrope divide by it themselves). */
    public static float[] positionFrequencies(double base, int dim) {
        float[] pos = new float[dim / 2];
        for (int i = 0; i < pos.length; i++) {
            float exponent = (float) (2 * i) / dim;
            pos[i] = (float) Math.pow(base, exponent);
        }
        return pos;
    }
}
