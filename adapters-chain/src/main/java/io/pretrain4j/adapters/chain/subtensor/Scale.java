package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SCALE codec (parity-scale-codec): little-endian fixed-width integers, compact integers,
 * length-prefixed vectors and strings, options, booleans. A {@link Reader} checks every length
 * against what is left and fails naming what it was reading.
 */
public final class Scale {
    private Scale() {}

    /** Appends SCALE values. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer u8(int value) {
            out.write(value);
            return this;
        }

        public Writer u16(int value) {
            return fixed(value, 2);
        }

        public Writer u32(long value) {
            return fixed(value, 4);
        }

        public Writer u64(long value) {
            return fixed(value, 8);
        }

        public Writer bool(boolean value) {
            return u8(value ? 1 : 0);
        }

        public Writer bytes(byte[] raw) {
            out.writeBytes(raw);
            return this;
        }

        /** {@code Compact<len> ++ bytes}. */
        public Writer vec(byte[] raw) {
            compact(raw.length);
            return bytes(raw);
        }

        public Writer string(String text) {
            return vec(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Compact integer: 1, 2 or 4 bytes with the mode in the low two bits, or big-integer mode. */
        public Writer compact(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("compact integers are unsigned, got " + value);
            }
            return compact(BigInteger.valueOf(value));
        }

        /** Compact integer of any value from 0 to 2^128-1, in its canonical (shortest) form. */
        public Writer compact(BigInteger value) {
            if (value.signum() < 0 || value.bitLength() > 128) {
                throw new IllegalArgumentException("compact integers are 0 .. 2^128-1, got " + value);
            }
            if (value.bitLength() <= 6) {
                return u8(value.intValue() << 2);
            }
            if (value.bitLength() <= 14) {
                return u16(value.intValue() << 2 | 1);
            }
            if (value.bitLength() <= 30) {
                return u32(value.longValue() << 2 | 2);
            }
            int length = Math.max(4, (value.bitLength() + 7) / 8);
            u8((length - 4) << 2 | 3);
            for (int i = 0; i < length; i++) {
                u8(value.shiftRight(8 * i).intValue() & 0xff);
            }
            return this;
        }

        private Writer fixed(long value, int bytes) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Reads SCALE values; every read is bounds-checked. */
    public static final class Reader {
        private final byte[] data;
        private final String source;
        private int position;

        public Reader(byte[] data, String source) {
            this.data = data;
            this.source = source;
        }

        public int position() {
            return position;
        }

        public int remaining() {
            return data.length - position;
        }

        public boolean atEnd() {
            return position == data.length;
        }

        public int u8() {
            need(1, "u8");
            return data[position++] & 0xff;
        }

        public int u16() {
            return (int) fixed(2, "u16");
        }

        public long u32() {
            return fixed(4, "u32");
        }

        public long u64() {
            return fixed(8, "u64");
        }

        /** A u128 as a BigInteger. */
        public BigInteger u128() {
            need(16, "u128");
            byte[] be = new byte[17];
            for (int i = 0; i < 16; i++) {
                be[16 - i] = data[position + i];
            }
            position += 16;
            return new BigInteger(be);
        }

        public boolean bool() {
            int value = u8();
            if (value > 1) {
                throw malformed("a bool is 0 or 1, got " + value);
            }
            return value == 1;
        }

        public byte[] bytes(int length) {
            need(length, length + " bytes");
            byte[] out = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return out;
        }

        /** {@code Compact<len> ++ bytes}. */
        public byte[] vec() {
            long length = compact();
            if (length > remaining()) {
                throw malformed("a vector of " + length + " bytes runs past the end (" + remaining() + " left)");
            }
            return bytes((int) length);
        }

        public String string() {
            return new String(vec(), StandardCharsets.UTF_8);
        }

        /** A compact integer up to 2^63-1 (lengths, counts, block numbers, balances). */
        public long compact() {
            int start = position;
            BigInteger value = compactBig();
            if (value.bitLength() > 63) {
                position = start;
                throw malformed("compact integer " + value + " at byte " + start + " is larger than 2^63-1");
            }
            return value.longValue();
        }

        /**
         * A compact integer of up to 128 bits, refused unless it is in its canonical (shortest) form,
         * as parity-scale-codec's {@code Compact<u128>} refuses it ("out of range").
         */
        public BigInteger compactBig() {
            int start = position;
            int first = u8();
            switch (first & 3) {
                case 0:
                    return BigInteger.valueOf(first >>> 2);
                case 1: {
                    int value = (first | u8() << 8) >>> 2;
                    if (value < 1 << 6) {
                        throw nonCanonical(start, value, 2);
                    }
                    return BigInteger.valueOf(value);
                }
                case 2: {
                    position--;
                    long value = u32() >>> 2;
                    if (value < 1 << 14) {
                        throw nonCanonical(start, value, 4);
                    }
                    return BigInteger.valueOf(value);
                }
                default: {
                    int length = (first >>> 2) + 4;
                    if (length > 16) {
                        throw malformed("compact integer at byte " + start + " claims " + length
                                + " bytes; at most 16 (128 bits) exist");
                    }
                    need(length, "compact integer of " + length + " bytes");
                    byte[] be = new byte[length + 1];
                    for (int i = 0; i < length; i++) {
                        be[length - i] = data[position + i];
                    }
                    position += length;
                    BigInteger value = new BigInteger(be);
                    boolean canonical = length == 4 ? value.bitLength() > 30 : value.bitLength() > 8 * (length - 1);
                    if (!canonical) {
                        throw malformed("compact integer " + value + " at byte " + start + " is not in canonical form ("
                                + length
                                + " bytes where fewer suffice); parity-scale-codec refuses it as out of range");
                    }
                    return value;
                }
            }
        }

        private Pretrain4jException nonCanonical(int start, long value, int bytes) {
            return malformed("compact integer " + value + " at byte " + start + " is not in canonical form (" + bytes
                    + " bytes where fewer suffice); parity-scale-codec refuses it as out of range");
        }

        /** A vector's length, checked against a per-item minimum size. */
        public int count(int minItemBytes, String what) {
            long count = compact();
            if (count * Math.max(1, minItemBytes) > remaining()) {
                throw malformed(what + ": " + count + " items cannot fit in the " + remaining() + " bytes left");
            }
            return (int) count;
        }

        private long fixed(int bytes, String what) {
            need(bytes, what);
            long value = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                value = (value << 8) | (data[position + i] & 0xffL);
            }
            position += bytes;
            return value;
        }

        private void need(int bytes, String what) {
            if (bytes < 0 || position + bytes > data.length) {
                throw malformed("truncated: reading " + what + " at byte " + position + " of " + data.length);
            }
        }

        public Pretrain4jException malformed(String reason) {
            return new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE, source + ": malformed SCALE data: " + reason);
        }
    }
}
