package io.pretrain4j.adapters.onnx.graph;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds an ONNX model (opset 20, IR 9) node by node: each op returns the name of its output, so a
 * forward pass reads like the math. Weights are initializers with raw little-endian data.
 */
public final class OnnxGraph {
    /** ONNX element types used here. */
    public static final int FLOAT = 1;

    public static final int INT64 = 7;

    private static final int OPSET = 20;
    private static final int IR_VERSION = 9;

    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private int counter;
    private long initializerBytes;

    /** A fresh tensor name with a readable prefix. */
    public String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /** Declares a graph input; {@code dims} entries are sizes, or null for a symbolic dimension named as in {@code symbols}. */
    public void input(String name, int elemType, String... symbolsOrSizes) {
        inputs.add(valueInfo(name, elemType, symbolsOrSizes));
    }

    /** Declares a graph output. */
    public void output(String name, int elemType, String... symbolsOrSizes) {
        outputs.add(valueInfo(name, elemType, symbolsOrSizes));
    }

    private static Proto valueInfo(String name, int elemType, String[] dims) {
        Proto shape = new Proto();
        for (String dim : dims) {
            Proto dimension = new Proto();
            if (dim.matches("\\d+")) {
                dimension.int64(1, Long.parseLong(dim));
            } else {
                dimension.string(2, dim);
            }
            shape.message(1, dimension);
        }
        Proto tensorType = new Proto().int32(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A float initializer of {@code shape} holding {@code values}. */
    public String weight(String name, float[] values, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return raw(name, FLOAT, ByteString.copyFrom(buffer.array()), shape);
    }

    /** An int64 constant initializer. */
    public String ints(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return raw(fresh("i64"), INT64, ByteString.copyFrom(buffer.array()), values.length);
    }

    /** A scalar int64 constant. */
    public String scalarInt(long value) {
        ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(value);
        return raw(fresh("s64"), INT64, ByteString.copyFrom(buffer.array()));
    }

    /** A scalar float constant. */
    public String scalar(float value) {
        ByteBuffer buffer = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putFloat(value);
        return raw(fresh("f32"), FLOAT, ByteString.copyFrom(buffer.array()));
    }

    /**
     * A float initializer whose data lies in an external file beside the model ({@code location},
     * {@code offset}, {@code length} in bytes, little-endian F32), as ONNX external data.
     */
    public String external(String name, long[] shape, String location, long offset, long length) {
        Proto tensor = new Proto();
        for (long dim : shape) {
            tensor.int64(1, dim);
        }
        tensor.int32(2, FLOAT).string(8, name);
        tensor.message(13, new Proto().string(1, "location").string(2, location));
        tensor.message(13, new Proto().string(1, "offset").string(2, Long.toString(offset)));
        tensor.message(13, new Proto().string(1, "length").string(2, Long.toString(length)));
        tensor.int32(14, 1); // DataLocation.EXTERNAL
        initializers.add(tensor);
        initializerBytes += length;
        return name;
    }

    private String raw(String name, int type, ByteString data, long... shape) {
        Proto tensor = new Proto();
        for (long dim : shape) {
            tensor.int64(1, dim);
        }
        tensor.int32(2, type).string(8, name).bytes(9, data);
        initializers.add(tensor);
        initializerBytes += data.size();
        return name;
    }

    /** Adds a node {@code op(inputs) -> one output} with attributes; returns the output's name. */
    public String op(String op, List<String> in, Attribute... attributes) {
        return ops(op, in, 1, attributes).get(0);
    }

    /** Adds a node with {@code outputCount} outputs; returns their names. */
    public List<String> ops(String op, List<String> in, int outputCount, Attribute... attributes) {
        Proto node = new Proto();
        for (String input : in) {
            node.string(1, input);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            String name = fresh(op.toLowerCase(Locale.ROOT));
            out.add(name);
            node.string(2, name);
        }
        node.string(3, fresh("n_" + op)).string(4, op);
        for (Attribute attribute : attributes) {
            node.message(5, attribute.proto());
        }
        nodes.add(node);
        return out;
    }

    /** Renames a value to a fixed graph-output name through an Identity node. */
    public void name(String value, String outputName) {
        Proto node = new Proto()
                .string(1, value)
                .string(2, outputName)
                .string(3, fresh("n_Identity"))
                .string(4, "Identity");
        nodes.add(node);
    }

    /** Bytes held by initializers (the weights). */
    public long initializerBytes() {
        return initializerBytes;
    }

    /** The serialized ModelProto (weights written as external data stay outside it). */
    public byte[] toModelBytes() {
        Proto graph = new Proto();
        nodes.forEach(node -> graph.message(1, node));
        graph.string(2, "pretrain4j");
        initializers.forEach(tensor -> graph.message(5, tensor));
        inputs.forEach(input -> graph.message(11, input));
        outputs.forEach(output -> graph.message(12, output));
        return new Proto()
                .int64(1, IR_VERSION)
                .string(2, "pretrain4j")
                .message(7, graph)
                .message(8, new Proto().string(1, "").int64(2, OPSET))
                .toByteArray();
    }

    /** A node attribute. */
    public record Attribute(Proto proto) {
        public static Attribute of(String name, long value) {
            return new Attribute(new Proto().string(1, name).int64(3, value).int32(20, 2));
        }

        public static Attribute of(String name, float value) {
            return new Attribute(new Proto().string(1, name).float32(2, value).int32(20, 1));
        }

        public static Attribute of(String name, String value) {
            return new Attribute(new Proto()
                    .string(1, name)
                    .bytes(4, ByteString.copyFromUtf8(value))
                    .int32(20, 3));
        }

        public static Attribute ints(String name, long... values) {
            Proto proto = new Proto().string(1, name);
            for (long value : values) {
                proto.int64(8, value);
            }
            return new Attribute(proto.int32(20, 7));
        }
    }
}
