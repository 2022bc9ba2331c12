package io.pretrain4j.formats.config;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.json.PythonJson;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import io.pretrain4j.ports.inference.Rope;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds a Llama-family config's {@link Rope} as transformers (5.x, {@code modeling_rope_utils}) does:
 * the parameters read from {@code rope_scaling} or {@code rope_parameters}, each type's frequencies
 * computed in float32 step by step as torch computes them.
 */
final class RopeReader {
    private RopeReader() {}

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
            throw ModelConfigReader.invalid(file, "\"rope_scaling\" must be an object or null");
        } else {
            params = Map.of();
        }
        double theta = present(params.get("rope_theta"))
                ? positive(params, "rope_theta", file)
                : present(root.get("rope_theta")) ? positive(root, "rope_theta", file) : 10000.0;
        Object typeNode = present(params.get("rope_type")) ? params.get("rope_type") : params.get("type");
        String type = present(typeNode) ? String.valueOf(typeNode) : "default";
        if (present(params.get("partial_rotary_factor")) && positive(params, "partial_rotary_factor", file) != 1.0) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    file + ": partial_rotary_factor other than 1 is not " + "supported for this family");
        }
        double original = present(root.get("original_max_position_embeddings"))
                ? positive(root, "original_max_position_embeddings", file)
                : present(params.get("original_max_position_embeddings"))
                        ? positive(params, "original_max_position_embeddings", file)
                        : maxPositions;
        int dim = headDim;
        double[] inv = Rope.defaultFrequencies(theta, dim);
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
            default ->
                throw new Pretrain4jException(
                        InferenceErrorCode.MODEL_UNSUPPORTED,
                        file + ": rope type '" + ModelConfigReader.abbreviate(typeNode)
                                + "' is not one transformers knows (known: " + String.join(", ", Rope.TYPES) + ")");
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
        double betaFast = present(params.get("beta_fast")) && number(params, "beta_fast", file) != 0
                ? number(params, "beta_fast", file)
                : 32;
        double betaSlow = present(params.get("beta_slow")) && number(params, "beta_slow", file) != 0
                ? number(params, "beta_slow", file)
                : 1;
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
        float[] pos = Rope.positionFrequencies(theta, dim);
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
    private static Rope longrope(
            double theta, int dim, Map<?, ?> params, double original, int maxPositions, Path file) {
        float[] shortFactors = factors(params, "short_factor", dim / 2, file);
        float[] longFactors = factors(params, "long_factor", dim / 2, file);
        double factor = present(params.get("factor")) ? positive(params, "factor", file) : maxPositions / original;
        double attention = present(params.get("attention_factor"))
                ? number(params, "attention_factor", file)
                : factor <= 1.0 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
        float[] pos = Rope.positionFrequencies(theta, dim);
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
            throw ModelConfigReader.invalid(
                    file, "rope longrope needs \"" + key + "\" as a list of " + count + " numbers (head_dim / 2)");
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            Object v = list.get(i);
            if (!(v instanceof Number n)) {
                throw ModelConfigReader.invalid(file, "rope " + key + "[" + i + "] is not a number");
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
            throw ModelConfigReader.invalid(
                    file, "rope \"" + key + "\" must be a number, not " + ModelConfigReader.abbreviate(node));
        }
        return value;
    }

    private static double positive(Map<?, ?> map, String key, Path file) {
        if (!present(map.get(key))) {
            throw ModelConfigReader.invalid(file, "rope parameters need \"" + key + "\"");
        }
        double value = number(map, key, file);
        if (!(value > 0)) {
            throw ModelConfigReader.invalid(
                    file, "rope \"" + key + "\" must be positive, not " + ModelConfigReader.abbreviate(map.get(key)));
        }
        return value;
    }
}
