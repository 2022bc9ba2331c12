package io.pretrain4j.domain.safetensors;

import java.util.Optional;

/** The element types of the safetensors format, with their width in bytes. */
public enum SafetensorsDType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Width of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether model weights of this type can be read as floats. */
    public boolean floating() {
        return floating;
    }

    /** The type named in a header ({@code "BF16"}), or empty when the name is not one of ours. */
    public static Optional<SafetensorsDType> fromHeaderName(String name) {
        for (SafetensorsDType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
