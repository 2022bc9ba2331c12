package io.pretrain4j.adapters.onnx.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A protobuf message being written: fields in any order, nested messages as their encoded bytes.
 * The ONNX messages used here are written field by field with the numbers of onnx.proto (IR 9).
 */
final class Proto {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Proto int64(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    Proto int32(int field, int value) {
        return write(() -> out.writeInt32(field, value));
    }

    Proto float32(int field, float value) {
        return write(() -> out.writeFloat(field, value));
    }

    Proto string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    Proto bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    Proto bytes(int field, ByteString value) {
        return write(() -> out.writeBytes(field, value));
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.toByteString());
    }

    ByteString toByteString() {
        write(out::flush);
        return ByteString.copyFrom(bytes.toByteArray());
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private Proto write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writes go to memory
        }
        return this;
    }
}
