package io.pretrain4j.adapters.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.inference.InferenceErrorCode;

import java.nio.file.Path;

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

    static Rope fromConfig(JsonNode scaling, double theta, int headDim, Path file) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // transformers: 1 / theta ** (arange(0, dim, 2).float() / dim), in float32
            float exponent = (float) (2 * i) / headDim;
            inv[i] = (float) (1.0 / Math.pow(theta, exponent));
        }
        if (scaling == null || scaling.isNull()) {
            return new Rope(theta, inv);
        }
        if (!scaling.isObject()) {
            throw ModelConfig.invalid(file, "\"rope_scaling\" must be an object or null");
        }
        JsonNode typeNode = scaling.hasNonNull("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        String type = typeNode == null ? "default" : typeNode.asText();
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

    private static double number(JsonNode scaling, String key, Path file) {
        JsonNode node = scaling.get(key);
        if (node == null || !node.isNumber() || !(node.asDouble() > 0)) {
            throw ModelConfig.invalid(file, "rope_scaling needs a positive \"" + key + "\"");
        }
        return node.asDouble();
    }
}
