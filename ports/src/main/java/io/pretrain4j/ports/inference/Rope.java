package io.pretrain4j.ports.inference;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.json.MiniJson;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rotary position embedding frequencies as transformers computes them: {@code default},
 * {@code linear} and {@code llama3} scaling.
 *
 * @param theta {@code rope_theta}
 * @param inverseFrequencies per pair of head dimensions, already scaled
 */
public record Rope(double theta, double[] inverseFrequencies) {
    public Rope {
        inverseFrequencies = inverseFrequencies.clone();
    }

    @Override
    public double[] inverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /**
     * The cos and sin tables {@code [length, headDim]} (row-major) for positions 0..length-1, with
     * the angle {@code t * inv_freq[i]} in float32 as transformers computes it, each half of a row
     * repeating the other ({@code cat(freqs, freqs)}).
     */
    public float[][] cosSin(int length, int headDim) {
        int half = headDim / 2;
        float[] cos = new float[length * headDim];
        float[] sin = new float[length * headDim];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) t * (float) inverseFrequencies[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * headDim + i] = c;
                cos[t * headDim + i + half] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + i + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }

    static Rope fromConfig(Object scalingValue, double theta, int headDim, Path file) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // transformers: 1 / theta ** (arange(0, dim, 2).float() / dim), in float32
            float exponent = (float) (2 * i) / headDim;
            inv[i] = (float) (1.0 / Math.pow(theta, exponent));
        }
        if (scalingValue == null || scalingValue == MiniJson.NULL) {
            return new Rope(theta, inv);
        }
        if (!(scalingValue instanceof Map<?, ?> scaling)) {
            throw ModelConfig.invalid(file, "\"rope_scaling\" must be an object or null");
        }
        Object typeNode = scaling.get("rope_type") != null && scaling.get("rope_type") != MiniJson.NULL ? scaling.get("rope_type")
                : scaling.get("type");
        String type = typeNode == null || typeNode == MiniJson.NULL ? "default" : String.valueOf(typeNode);
        switch (type) {
            case "default" -> {
                return new Rope(theta, inv);
            }
            case "linear" -> {
                double factor = number(scaling, "factor", file);
                for (int i = 0; i < inv.length; i++) {
                    inv[i] /= factor;
                }
                return new Rope(theta, inv);
            }
            case "llama3" -> {
                double factor = number(scaling, "factor", file);
                double low = number(scaling, "low_freq_factor", file);
                double high = number(scaling, "high_freq_factor", file);
                double original = number(scaling, "original_max_position_embeddings", file);
                if (!(high > low)) {
                    throw ModelConfig.invalid(file, "rope_scaling high_freq_factor must exceed low_freq_factor");
                }
                double lowWavelength = original / low;
                double highWavelength = original / high;
                for (int i = 0; i < inv.length; i++) {
                    double wavelength = 2 * Math.PI / inv[i];
                    double scaled = wavelength > lowWavelength ? inv[i] / factor : inv[i];
                    boolean medium = !(wavelength < highWavelength) && !(wavelength > lowWavelength);
                    if (medium) {
                        double smooth = (original / wavelength - low) / (high - low);
                        scaled = (1 - smooth) * scaled / factor + smooth * scaled;
                    }
                    inv[i] = scaled;
                }
                return new Rope(theta, inv);
            }
            default -> throw new Pretrain4jException(InferenceErrorCode.MODEL_UNSUPPORTED, file + ": rope_scaling type '"
                    + ModelConfig.abbreviate(typeNode) + "' is not supported (supported: default, linear, llama3)");
        }
    }

    private static double number(Map<?, ?> scaling, String key, Path file) {
        Object node = scaling.get(key);
        if (!(node instanceof BigDecimal value) || !(value.doubleValue() > 0)) {
            throw ModelConfig.invalid(file, "rope_scaling needs a positive \"" + key + "\"");
        }
        return value.doubleValue();
    }
}
