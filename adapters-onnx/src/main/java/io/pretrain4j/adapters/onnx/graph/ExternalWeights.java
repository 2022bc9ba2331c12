package io.pretrain4j.adapters.onnx.graph;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.evaluation.WeightChecks;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.TensorEntry;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;

/**
 * A model's weights streamed into the graph's external data file: each tensor checked against the
 * config's shape and for finite values, widened to F32, aligned to 64 bytes, in chunks of at most 64 MiB
 * (linear weights transposed once, here), and named in the graph as external data.
 */
final class ExternalWeights {
    private static final int CHUNK_BYTES = 64 << 20;

    private final SafetensorsModel files;
    private final FileChannel weights;
    private final OnnxGraph g;
    private final String file;
    private ByteBuffer chunk;
    private long parameters;

    ExternalWeights(SafetensorsModel files, FileChannel weights, OnnxGraph g, String file) {
        this.files = files;
        this.weights = weights;
        this.g = g;
        this.file = file;
    }

    /** Parameters written so far. */
    long parameters() {
        return parameters;
    }

    /** Writes tensor {@code name}, checked against {@code shape}, widened to F32, and names it in the graph. */
    String weight(String name, long... shape) {
        TensorEntry entry = entry(name, shape);
        long count = entry.elementCount();
        long offset = alignedPosition();
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, CHUNK_BYTES / Float.BYTES);
            ByteBuffer buffer = chunk(n);
            files.readFloats(name, done, n, buffer);
            buffer.flip();
            checkFinite(name, buffer.asFloatBuffer());
            write(buffer);
            done += n;
        }
        parameters += count;
        return g.external(name, shape, file, offset, count * Float.BYTES);
    }

    /** A linear layer's {@code [out, in]} weight, written as {@code [in, out]}. */
    String transposedWeight(String name, long out, long in) {
        TensorEntry entry = entry(name, out, in);
        long count = entry.elementCount();
        if (count * Float.BYTES > Integer.MAX_VALUE - 8) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    files.directory() + ": tensor '" + name
                            + "' is over 2 GiB as F32; the onnx-runtime backend transposes linear weights in memory");
        }
        ByteBuffer stored = ByteBuffer.allocate((int) (count * Float.BYTES)).order(ByteOrder.nativeOrder());
        files.readFloats(name, 0, (int) count, stored);
        stored.flip();
        FloatBuffer values = stored.asFloatBuffer();
        checkFinite(name, values);
        long offset = alignedPosition();
        int rowsPerChunk = (int) Math.max(1, CHUNK_BYTES / Float.BYTES / out);
        for (int i = 0; i < in; i += rowsPerChunk) {
            int rows = (int) Math.min(rowsPerChunk, in - i);
            ByteBuffer buffer = chunk((int) (rows * out));
            FloatBuffer target = buffer.asFloatBuffer();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    target.put(values.get((int) (o * in + i + r)));
                }
            }
            buffer.limit((int) (rows * out * Float.BYTES));
            write(buffer);
        }
        parameters += count;
        return g.external(name, new long[] {in, out}, file, offset, count * Float.BYTES);
    }

    private TensorEntry entry(String name, long... shape) {
        return WeightChecks.require(files, name, shape);
    }

    private void checkFinite(String name, FloatBuffer values) {
        WeightChecks.requireFinite(files, name, values);
    }

    /** A little-endian direct buffer for {@code floats} values, reused. */
    private ByteBuffer chunk(int floats) {
        int bytes = floats * Float.BYTES;
        if (chunk == null || chunk.capacity() < bytes) {
            chunk = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        }
        chunk.clear();
        chunk.limit(bytes);
        return chunk;
    }

    /** The write position, padded to 64 bytes so every tensor starts aligned. */
    private long alignedPosition() {
        try {
            long position = weights.position();
            long aligned = (position + 63) & ~63L;
            if (aligned > position) {
                write(ByteBuffer.allocate((int) (aligned - position)));
            }
            return aligned;
        } catch (IOException e) {
            throw new Pretrain4jException(InferenceErrorCode.BACKEND_FAILED, "cannot write ONNX weights: " + e, e);
        }
    }

    private void write(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                weights.write(buffer);
            }
        } catch (IOException e) {
            throw new Pretrain4jException(
                    InferenceErrorCode.BACKEND_FAILED, "cannot write ONNX weights (disk full?): " + e, e);
        }
    }
}
