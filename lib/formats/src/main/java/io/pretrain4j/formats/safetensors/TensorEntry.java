package io.pretrain4j.formats.safetensors;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.model.SafetensorsDType;
import java.util.Arrays;

/**
 * One tensor of a safetensors file as its header describes it.
 *
 * @param name the tensor's name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype element type
 * @param shape dimensions, outermost first (empty for a scalar)
 * @param begin first byte, relative to the start of the data section
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorEntry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
    public TensorEntry {
        requireNonNull(name, "name is null");
        requireNonNull(dtype, "dtype is null");
        shape = shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Length in bytes. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as {@code [768, 2304]}. */
    public String shapeText() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ", ").append(Long.toUnsignedString(shape[i]));
        }
        return out.append(']').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorEntry that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeText();
    }
}
