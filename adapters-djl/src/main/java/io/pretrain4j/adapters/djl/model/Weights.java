package io.pretrain4j.adapters.djl.model;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.evaluation.WeightChecks;
import io.pretrain4j.formats.safetensors.SafetensorsModel;
import io.pretrain4j.formats.safetensors.TensorEntry;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns safetensors tensors into NDArrays on the model's device: shape checked against what
 * config.json implies, widened to F32 in Java (never a BF16 NDArray on the CPU), checked for NaN
 * and infinity, copied into PyTorch-owned memory, then moved to the device and compute type.
 * A direct staging buffer bounds the transient memory; larger tensors are filled row-block by
 * row-block. Staging buffers come from {@link HostArrays}' pool and go back to it on
 * {@link #close}: a direct buffer is freed only when the garbage collector finds it, so one per load
 * made a validator grow by the size of each model's largest tensor per load until a collection
 * happened to run (issue 20).
 */
public final class Weights implements AutoCloseable {
    static final int DEFAULT_STAGING_BYTES = 64 << 20;

    private final SafetensorsModel files;
    private final NDManager manager;
    private final Device device;
    private final DataType computeType;
    private final int stagingBytes;
    private final Set<String> used = new HashSet<>();
    private ByteBuffer staging;
    private long loadedParameters;

    public Weights(SafetensorsModel files, NDManager manager, DataType computeType) {
        this(files, manager, computeType, DEFAULT_STAGING_BYTES);
    }

    Weights(SafetensorsModel files, NDManager manager, DataType computeType, int stagingBytes) {
        this.files = requireNonNull(files, "files is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.device = manager.getDevice();
        this.computeType = requireNonNull(computeType, "computeType is null");
        this.stagingBytes = stagingBytes;
    }

    /** Whether the checkpoint holds {@code name}. */
    public boolean has(String name) {
        return files.contains(name);
    }

    /** Marks a tensor as deliberately not loaded (e.g. an lm_head tied to the embedding). */
    public void skip(String name) {
        used.add(name);
    }

    /** Loads {@code name}, which must have exactly {@code shape}. */
    public NDArray load(String name, long... shape) {
        TensorEntry entry = entry(name, shape);
        used.add(name);
        loadedParameters += entry.elementCount();
        NDArray cpu = readToCpu(entry, shape);
        return finish(cpu, name);
    }

    /**
     * Loads a GPT-2 {@code Conv1D} weight stored as {@code [in, out]} and returns it as
     * {@code [out, in]}, the layout of a linear layer.
     */
    public NDArray loadTransposed(String name, long in, long out) {
        TensorEntry entry = entry(name, new long[] {in, out});
        used.add(name);
        loadedParameters += entry.elementCount();
        NDArray stored = readToCpu(entry, new long[] {in, out});
        NDArray transposed = stored.transpose().flatten().reshape(out, in);
        stored.close();
        return finish(transposed, name);
    }

    /** Number of parameters loaded so far. */
    public long loadedParameters() {
        return loadedParameters;
    }

    /** Names present in the checkpoint but never loaded or skipped, sorted. */
    public List<String> unused() {
        return files.tensors().keySet().stream()
                .filter(name -> !used.contains(name))
                .sorted()
                .toList();
    }

    private TensorEntry entry(String name, long[] shape) {
        return WeightChecks.require(files, name, shape);
    }

    private NDArray readToCpu(TensorEntry entry, long[] shape) {
        long count = entry.elementCount();
        long rowElements = shape.length <= 1 ? Math.max(count, 1) : count / Math.max(shape[0], 1);
        long totalBytes = count * Float.BYTES;
        if (totalBytes <= stagingBytes || shape.length <= 1) {
            NDArray view = chunk(entry, 0, count, shape);
            NDArray copy = view.duplicate();
            view.close(); // releases the staging buffer's reference; the copy is PyTorch's own memory
            return copy;
        }
        NDArray target = manager.zeros(new Shape(shape), DataType.FLOAT32, Device.cpu());
        long rowsPerChunk = Math.max(1, stagingBytes / (rowElements * Float.BYTES));
        for (long row = 0; row < shape[0]; row += rowsPerChunk) {
            long rows = Math.min(rowsPerChunk, shape[0] - row);
            long[] chunkShape = shape.clone();
            chunkShape[0] = rows;
            NDArray part = chunk(entry, row * rowElements, rows * rowElements, chunkShape);
            target.set(new NDIndex("{}:{}", row, row + rows), part);
            part.close();
        }
        return target;
    }

    /** An NDArray viewing the staging buffer: valid until the next read. */
    private NDArray chunk(TensorEntry entry, long first, long count, long[] shape) {
        long bytes = count * Float.BYTES;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new Pretrain4jException(
                    InferenceErrorCode.MODEL_UNSUPPORTED,
                    files.directory() + ": tensor '" + entry.name() + "' has a row of " + count
                            + " elements, too large to stage");
        }
        if (staging == null || staging.capacity() < bytes) {
            HostArrays.release(staging);
            staging = HostArrays.take((int) Math.max(bytes, Math.min(stagingBytes, 1 << 20)));
        }
        staging.clear();
        files.readFloats(entry.name(), first, (int) count, staging);
        staging.flip();
        return manager.create(staging, new Shape(shape), DataType.FLOAT32);
    }

    private NDArray finish(NDArray cpu, String name) {
        try (NDArray nan = cpu.isNaN();
                NDArray anyNan = nan.any();
                NDArray inf = cpu.isInfinite();
                NDArray anyInf = inf.any()) {
            if (anyNan.getBoolean() || anyInf.getBoolean()) {
                cpu.close();
                throw WeightChecks.nonFinite(files, name);
            }
        }
        NDArray result = cpu;
        if (!device.equals(Device.cpu())) {
            result = cpu.toDevice(device, false);
            cpu.close();
        }
        if (computeType != DataType.FLOAT32) {
            NDArray converted = result.toType(computeType, false);
            result.close();
            result = converted;
        }
        return result;
    }

    /** Gives the staging buffer back to the pool; the NDArrays loaded stay valid (they are PyTorch's own memory). */
    @Override
    public void close() {
        HostArrays.release(staging);
        staging = null;
    }
}
