package io.pretrain4j.adapters.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Consumer;

/**
 * Java arrays into NDArrays without leaving direct buffers behind. DJL's {@code manager.create(float[])}
 * copies the array into a new direct buffer that the NDArray points at; a direct buffer is freed only
 * when the garbage collector finds it, so a validator that builds masks, rope tables and token ids
 * for every forward pass grew by them between collections (issue 20). Here the array is copied into a
 * pooled direct buffer, PyTorch copies that into memory it owns ({@code duplicate}), and the buffer
 * goes back to the pool. The pool keeps at most {@value #POOLED_BUFFERS} buffers, process-wide.
 */
public final class HostArrays {
    static final int POOLED_BUFFERS = 4;
    private static final LinkedBlockingDeque<ByteBuffer> POOL = new LinkedBlockingDeque<>();

    private HostArrays() {}

    /** An F32 array of {@code shape} holding {@code values}, in PyTorch's memory. */
    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        return staged(
                manager,
                values.length * Float.BYTES,
                buffer -> buffer.asFloatBuffer().put(values),
                shape,
                DataType.FLOAT32);
    }

    /** An INT64 array of {@code shape} holding {@code values}, in PyTorch's memory. */
    public static NDArray create(NDManager manager, long[] values, Shape shape) {
        return staged(
                manager,
                values.length * Long.BYTES,
                buffer -> buffer.asLongBuffer().put(values),
                shape,
                DataType.INT64);
    }

    /** Fills a pooled buffer of {@code bytes}, has PyTorch copy it into memory it owns, and gives the buffer back. */
    private static NDArray staged(NDManager manager, int bytes, Consumer<ByteBuffer> fill, Shape shape, DataType type) {
        ByteBuffer buffer = take(bytes);
        try {
            fill.accept(buffer);
            buffer.limit(bytes);
            try (NDArray view = manager.create(buffer, shape, type)) {
                return view.duplicate();
            }
        } finally {
            release(buffer);
        }
    }

    /** A pooled buffer of at least {@code bytes} (cleared, native order), or a new one. */
    static ByteBuffer take(int bytes) {
        for (ByteBuffer candidate : POOL) {
            if (candidate.capacity() >= bytes && POOL.remove(candidate)) {
                return candidate.clear();
            }
        }
        return ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
    }

    /** Keeps {@code buffer} for the next use; past the pool's size the smallest buffer is let go. */
    static void release(ByteBuffer buffer) {
        if (buffer == null) {
            return;
        }
        synchronized (POOL) {
            POOL.addFirst(buffer);
            while (POOL.size() > POOLED_BUFFERS) {
                POOL.remove(POOL.stream()
                        .min(Comparator.comparingInt(ByteBuffer::capacity))
                        .orElseThrow());
            }
        }
    }

    /** Buffers in the pool now (tests). */
    static int pooled() {
        return POOL.size();
    }
}
