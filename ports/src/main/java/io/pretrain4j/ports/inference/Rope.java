package io.pretrain4j.ports.inference;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.json.PythonJson;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rotary position embeddings as transformers (5.x, {@code modeling_rope_utils}) computes them for
 * the Llama family, in float32 arithmetic step by step as torch does it: {@code default},
 * {@code linear}, {@code dynamic} (NTK, depends on the window's length), {@code yarn} (with its
 * attention factor), {@code longrope} (short or long factors by the window's length, attention
 * factor) and {@code llama3}. The cos and sin tables are multiplied by the attention factor, as
 * {@code LlamaRotaryEmbedding.forward} does.
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
public record Rope(String type, double theta, double[] inverseFrequencies, double attentionFactor, int lengthBound,
        double[] longFrequencies, double dynamicFactor) {
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
    static double[] defaultFrequencies(double base, int dim) {
        float[] pos = positionFrequencies(base, dim);
        double[] inv = new double[pos.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1f / pos[i]; // 1.0 / tensor is a float32 reciprocal
        }
        return inv;
    }

    /** {@code base ** (arange(0, dim, 2).float() / dim)} in float32 (yarn and longrope divide by it themselves). */
    private static float[] positionFrequencies(double base, int dim) {
        float[] pos = new float[dim / 2];
        for (int i = 0; i < pos.length; i++) {
            float exponent = (float) (2 * i) / dim;
            pos[i] = (float) Math.pow(base, exponent);
        }
        return pos;
    }

    /**
     * The rope of a Llama-family config: {@code rope_scaling} when it is a non-empty object, else
     * {@code rope_parameters} (transformers 5's form); {@code rope_theta} from that object, else the
     * top level, else 10000; the type from {@code rope_type}, else {@code type}, else default.
     */
    static Rope fromConfig(Map<String, Object> root, int headDim, int maxPositions, Path file) {
        Object scalingValue = root.get("rope_scaling");
        Map<?, ?> params;
        if (scalingValue instanceof Map<?, ?> scaling && !scaling.isEmpty()) {
            params = scaling;
        } else if (root.get("rope_parameters") instanceof Map<?, ?> parameters) {
            params = parameters;
        } else if (present(scalingValue) && !(scalingValue instanceof Map<?, ?>)) {
            throw ModelConfig.invalid(file, "\"rope_scaling\" must be an object or null");
        } else {
            params = Map.of();
        }
        double theta = present(params.get("rope_theta")) ? positive(params, "rope_theta", file)
                : present(root.get("rope_theta")) ? positive(root, "rope_theta", file) : 10000.0;
        Object typeNode = present(params.get("rope_type")) ? params.get("rope_type") : params.get("type");
        String type = present(typeNode) ? String.valueOf(typeNode) : "default";
        if (present(params.get("partial_rotary_factor")) && positive(params, "partial_rotary_factor", file) != 1.0) {
            throw new Pretrain4jException(InferenceErrorCode.MODEL_UNSUPPORTED, file + ": partial_rotary_factor other than 1 is not "
                    + "supported for this family");
        }
        double original = present(root.get("original_max_position_embeddings")) ? positive(root, "original_max_position_embeddings", file)
                : present(params.get("original_max_position_embeddings")) ? positive(params, "original_max_position_embeddings", file)
                : maxPositions;
        int dim = headDim;
        double[] inv = defaultFrequencies(theta, dim);
        switch (type) {
            case "default" -> {
                return new Rope("default", theta, inv, 1.0, Integer.MAX_VALUE, null, 0);
            }
            case "linear" -> {
                float factor = (float) positive(params, "factor", file);
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) inv[i] / factor;
                }
                return new Rope("linear", theta, inv, 1.0, Integer.MAX_VALUE, null, 0);
            }
            case "dynamic" -> {
                double factor = positive(params, "factor", file);
                return new Rope("dynamic", theta, inv, 1.0, maxPositions, null, factor);
            }
            case "llama3" -> {
                return new Rope("llama3", theta, llama3(inv, params, original, file), 1.0, Integer.MAX_VALUE, null, 0);
            }
            case "yarn" -> {
                return yarn(theta, dim, params, original, maxPositions, file);
            }
            case "longrope" -> {
                return longrope(theta, dim, params, original, maxPositions, file);
            }
            default -> throw new Pretrain4jException(InferenceErrorCode.MODEL_UNSUPPORTED, file + ": rope type '"
                    + ModelConfig.abbreviate(typeNode) + "' is not one transformers knows (known: " + String.join(", ", TYPES) + ")");
        }
    }

    /** {@code _compute_llama3_parameters}, each step a float32 tensor operation as in torch. */
    private static double[] llama3(double[] inv, Map<?, ?> params, double original, Path file) {
        float factor = (float) positive(params, "factor", file);
        double low = positive(params, "low_freq_factor", file);
        double high = positive(params, "high_freq_factor", file);
        float lowWavelength = (float) (original / low);
        float highWavelength = (float) (original / high);
        float twoPi = (float) (2 * Math.PI);
        float context = (float) original;
        float lowF = (float) low;
        float span = (float) (high - low);
        double[] out = new double[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float f = (float) inv[i];
            float wavelength = (1f / f) * twoPi; // 2 * math.pi / inv_freq is reciprocal(inv_freq) * 2pi
            float scaled = wavelength > lowWavelength ? f / factor : f;
            float smooth = ((1f / wavelength) * context - lowF) / span;
            float smoothed = (1f - smooth) * scaled / factor + smooth * scaled;
            boolean medium = !(wavelength < highWavelength) && !(wavelength > lowWavelength);
            out[i] = medium ? smoothed : scaled;
        }
        return out;
    }

    /** {@code _compute_yarn_parameters}. */
    private static Rope yarn(double theta, int dim, Map<?, ?> params, double original, int maxPositions, Path file) {
        double factor = present(params.get("factor")) ? positive(params, "factor", file) : maxPositions / original;
        Double attention = present(params.get("attention_factor")) ? number(params, "attention_factor", file) : null;
        Double mscale = present(params.get("mscale")) ? number(params, "mscale", file) : null;
        Double mscaleAllDim = present(params.get("mscale_all_dim")) ? number(params, "mscale_all_dim", file) : null;
        if (attention == null) {
            if (mscale != null && mscale != 0 && mscaleAllDim != null && mscaleAllDim != 0) {
                attention = yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim);
            } else {
                attention = yarnMscale(factor, 1);
            }
        }
        double betaFast = present(params.get("beta_fast")) && number(params, "beta_fast", file) != 0 ? number(params, "beta_fast", file) : 32;
        double betaSlow = present(params.get("beta_slow")) && number(params, "beta_slow", file) != 0 ? number(params, "beta_slow", file) : 1;
        boolean truncate = !(params.get("truncate") instanceof Boolean t) || t;
        double low = correctionDim(betaFast, dim, theta, original);
        double high = correctionDim(betaSlow, dim, theta, original);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001;
        }
        float[] pos = positionFrequencies(theta, dim);
        float factorF = (float) factor;
        float lowF = (float) low;
        float rangeF = (float) (high - low);
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float extrapolation = 1f / pos[i];
            float interpolation = 1f / (factorF * pos[i]);
            float ramp = Math.min(Math.max(((float) i - lowF) / rangeF, 0f), 1f);
            float extrapolationFactor = 1f - ramp;
            inv[i] = interpolation * (1f - extrapolationFactor) + extrapolation * extrapolationFactor;
        }
        return new Rope("yarn", theta, inv, attention, Integer.MAX_VALUE, null, 0);
    }

    private static double yarnMscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }

    private static double correctionDim(double rotations, int dim, double base, double maxPositions) {
        return (dim * Math.log(maxPositions / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
    }

    /** {@code _compute_longrope_parameters}: short factors up to the original length, long factors past it. */
    private static Rope longrope(double theta, int dim, Map<?, ?> params, double original, int maxPositions, Path file) {
        float[] shortFactors = factors(params, "short_factor", dim / 2, file);
        float[] longFactors = factors(params, "long_factor", dim / 2, file);
        double factor = present(params.get("factor")) ? positive(params, "factor", file) : maxPositions / original;
        double attention = present(params.get("attention_factor")) ? number(params, "attention_factor", file)
                : factor <= 1.0 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
        float[] pos = positionFrequencies(theta, dim);
        double[] shortInv = new double[dim / 2];
        double[] longInv = new double[dim / 2];
        for (int i = 0; i < shortInv.length; i++) {
            shortInv[i] = 1f / (shortFactors[i] * pos[i]);
            longInv[i] = 1f / (longFactors[i] * pos[i]);
        }
        int bound = original >= Integer.MAX_VALUE ? Integer.MAX_VALUE - 1 : (int) Math.floor(original);
        return new Rope("longrope", theta, shortInv, attention, bound, longInv, 0);
    }

    private static float[] factors(Map<?, ?> params, String key, int count, Path file) {
        if (!(params.get(key) instanceof List<?> list) || list.size() != count) {
            throw ModelConfig.invalid(file, "rope longrope needs \"" + key + "\" as a list of " + count + " numbers (head_dim / 2)");
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            Object v = list.get(i);
            if (!(v instanceof Number n)) {
                throw ModelConfig.invalid(file, "rope " + key + "[" + i + "] is not a number");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    private static boolean present(Object value) {
        return value != null && value != PythonJson.NULL;
    }

    private static double number(Map<?, ?> map, String key, Path file) {
        Object node = map.get(key);
        double value = node instanceof BigInteger b ? b.doubleValue() : node instanceof Double d ? d : Double.NaN;
        if (Double.isNaN(value)) {
            throw ModelConfig.invalid(file, "rope \"" + key + "\" must be a number, not " + ModelConfig.abbreviate(node));
        }
        return value;
    }

    private static double positive(Map<?, ?> map, String key, Path file) {
        if (!present(map.get(key))) {
            throw ModelConfig.invalid(file, "rope parameters need \"" + key + "\"");
        }
        double value = number(map, key, file);
        if (!(value > 0)) {
            throw ModelConfig.invalid(file, "rope \"" + key + "\" must be positive, not " + ModelConfig.abbreviate(map.get(key)));
        }
        return value;
    }
}
