package io.pretrain4j.formats.safetensors;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes safetensors files (F32, F16 or BF16 from float values), atomically ({@link AtomicFiles}: a
 * temporary file in the same directory is moved into place once complete). BF16 rounds to nearest
 * even, as PyTorch.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /**
     * A tensor to write.
     *
     * @param name its name
     * @param dtype the stored type (F32, F16 or BF16)
     * @param shape its shape; the product must equal {@code values.length}
     * @param values the values, row-major
     */
    public record Tensor(String name, SafetensorsDType dtype, long[] shape, float[] values) {
        public Tensor {
            requireNonNull(name, "name is null");
            requireNonNull(dtype, "dtype is null");
            shape = shape.clone();
            requireNonNull(values, "values is null");
            long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (count != values.length) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " has " + count
                        + " elements, values " + values.length);
            }
            if (dtype != SafetensorsDType.F32 && dtype != SafetensorsDType.F16 && dtype != SafetensorsDType.BF16) {
                throw new IllegalArgumentException(name + ": cannot write dtype " + dtype);
            }
        }
    }

    /** Writes {@code tensors} (in this order) with {@code metadata} to {@code path}. */
    public static void write(Path path, List<Tensor> tensors, Map<String, String> metadata) {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            String separator = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                header.append(separator).append(quote(e.getKey())).append(':').append(quote(e.getValue()));
                separator = ",";
            }
            header.append('}');
        }
        long offset = 0;
        for (Tensor tensor : tensors) {
            long length = (long) tensor.values().length * tensor.dtype().bytes();
            header.append(header.length() > 1 ? "," : "")
                    .append(quote(tensor.name()))
                    .append(":{\"dtype\":\"")
                    .append(tensor.dtype().name())
                    .append("\",\"shape\":")
                    .append(Arrays.toString(tensor.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + length)
                    .append("]}");
            offset += length;
        }
        header.append('}');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        try {
            // the one atomic write (lib/toolkit): a temporary file in the same directory, fsynced,
            // then moved into place
            AtomicFiles.write(
                    path,
                    out -> {
                        ByteBuffer prefix = ByteBuffer.allocate(8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putLong(padded);
                        out.write(prefix.array());
                        out.write(headerBytes);
                        for (int i = headerBytes.length; i < padded; i++) {
                            out.write(' ');
                        }
                        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                        for (Tensor tensor : tensors) {
                            for (float value : tensor.values()) {
                                if (chunk.remaining() < 4) {
                                    out.write(chunk.array(), 0, chunk.position());
                                    chunk.clear();
                                }
                                switch (tensor.dtype()) {
                                    case F32 -> chunk.putFloat(value);
                                    case F16 -> chunk.putShort(Float.floatToFloat16(value));
                                    default -> chunk.putShort(toBf16(value));
                                }
                            }
                        }
                        out.write(chunk.array(), 0, chunk.position());
                    },
                    AtomicFiles.Access.DEFAULT);
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write " + path + ": " + e, e);
        }
    }

    /** Float to bfloat16, round to nearest even (NaN stays NaN). */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** Bfloat16 bits to float. */
    public static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
