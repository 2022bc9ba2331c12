package io.pretrain4j.evaluation;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.safetensors.SafetensorsFile;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.TensorEntry;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** The checks every backend makes on a checkpoint's tensors before using them, with the same messages. */
public final class WeightChecks {
    private WeightChecks() {}

    /**
     * The tensor {@code name}, which must exist, have exactly {@code shape} and a dtype the file
     * reader converts to floats (floats, integers and booleans, 8-bit floats: transformers casts such
     * checkpoints into the model's parameters and evaluates them, so pretrain4j does too).
     */
    public static TensorEntry require(SafetensorsModel files, String name, long... shape) {
        TensorEntry entry = files.tensors().get(name);
        if (entry == null) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID,
                    files.directory() + ": missing tensor '" + name + "' (expected shape " + Arrays.toString(shape)
                            + ")");
        }
        if (!Arrays.equals(entry.shape(), shape)) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID,
                    files.directory() + ": tensor '" + name + "' has shape " + entry.shapeText()
                            + " but config.json implies " + Arrays.toString(shape));
        }
        if (!SafetensorsFile.convertible(entry.dtype())) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_INVALID,
                    files.directory() + ": tensor '" + name + "' has dtype " + entry.dtype()
                            + "; pretrain4j reads weights of floating, integer, boolean, F8_E4M3 and F8_E5M2 types");
        }
        return entry;
    }

    /** Refuses NaN and infinite values among {@code values} (from its position to its limit). */
    public static void requireFinite(SafetensorsModel files, String name, FloatBuffer values) {
        for (int i = values.position(); i < values.limit(); i++) {
            if (!Float.isFinite(values.get(i))) {
                throw nonFinite(files, name);
            }
        }
    }

    /** The error for a tensor holding NaN or infinite values. */
    public static Pretrain4jException nonFinite(SafetensorsModel files, String name) {
        return new Pretrain4jException(
                InferenceErrorCode.MODEL_INVALID,
                files.directory() + ": tensor '" + name + "' holds NaN or infinite values");
    }
}
