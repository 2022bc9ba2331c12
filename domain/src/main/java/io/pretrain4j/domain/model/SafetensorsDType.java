package io.pretrain4j.domain.model;

import java.util.Optional;

/**
 * The element types of the safetensors format, exactly those the reference reader (Hugging Face's
 * Rust {@code safetensors} crate, {@code Dtype}) knows, with their width in bits.
 */
public enum SafetensorsDType {
    BOOL(8, false),
    F4(4, false),
    F6_E2M3(6, false),
    F6_E3M2(6, false),
    U8(8, false),
    I8(8, false),
    F8_E5M2(8, false),
    F8_E4M3(8, false),
    F8_E8M0(8, false),
    F8_E4M3FNUZ(8, false),
    F8_E5M2FNUZ(8, false),
    I16(16, false),
    U16(16, false),
    F16(16, true),
    BF16(16, true),
    I32(32, false),
    U32(32, false),
    F32(32, true),
    C64(64, false),
    F64(64, true),
    I64(64, false),
    U64(64, false);

    private final int bits;
    private final boolean floating;

    SafetensorsDType(int bits, boolean floating) {
        this.bits = bits;
        this.floating = floating;
    }

    /** Width of one element in bits (4 and 6 for the sub-byte float types). */
    public int bits() {
        return bits;
    }

    /** Width of one element in bytes; only for the types of whole bytes. */
    public int bytes() {
        if (bits % 8 != 0) {
            throw new IllegalStateException(this + " elements are " + bits + " bits, not whole bytes");
        }
        return bits / 8;
    }

    /** Whether the type is one of the IEEE-style floats pretrain4j reads directly (F64, F32, F16, BF16). */
    public boolean floating() {
        return floating;
    }

    /** Whether the type is an integer or boolean type (its values convert exactly to floats of enough width). */
    public boolean integral() {
        return switch (this) {
            case BOOL, U8, I8, I16, U16, I32, U32, I64, U64 -> true;
            default -> false;
        };
    }

    /** The type named in a header ({@code "BF16"}), or empty when the name is not one of the format's. */
    public static Optional<SafetensorsDType> fromHeaderName(String name) {
        for (SafetensorsDType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
