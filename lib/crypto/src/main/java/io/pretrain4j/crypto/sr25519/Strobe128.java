package io.pretrain4j.crypto.sr25519;

import java.nio.charset.StandardCharsets;

/**
 * The STROBE-128 subset that Merlin transcripts use (meta-AD, AD, PRF, KEY) over Keccak-f[1600],
 * written from the STROBE v1.0.2 specification and Merlin's description of it.
 */
final class Strobe128 {
    private static final int RATE = 166;
    private static final int FLAG_I = 1;
    private static final int FLAG_A = 1 << 1;
    private static final int FLAG_C = 1 << 2;
    private static final int FLAG_T = 1 << 3;
    private static final int FLAG_M = 1 << 4;
    private static final int FLAG_K = 1 << 5;

    private final byte[] state = new byte[200];
    private int position;
    private int positionBegin;
    private int currentFlags;

    Strobe128(String protocolLabel) {
        byte[] init = {1, (byte) (RATE + 2), 1, 0, 1, 96};
        System.arraycopy(init, 0, state, 0, init.length);
        byte[] version = "STROBEv1.0.2".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(version, 0, state, 6, version.length);
        Keccak.f1600(state);
        metaAd(protocolLabel.getBytes(StandardCharsets.US_ASCII), false);
    }

    private Strobe128(Strobe128 other) {
        System.arraycopy(other.state, 0, state, 0, state.length);
        position = other.position;
        positionBegin = other.positionBegin;
        currentFlags = other.currentFlags;
    }

    Strobe128 copy() {
        return new Strobe128(this);
    }

    void metaAd(byte[] data, boolean more) {
        beginOp(FLAG_M | FLAG_A, more);
        absorb(data);
    }

    void ad(byte[] data, boolean more) {
        beginOp(FLAG_A, more);
        absorb(data);
    }

    void prf(byte[] out, boolean more) {
        beginOp(FLAG_I | FLAG_A | FLAG_C, more);
        squeeze(out);
    }

    void key(byte[] data, boolean more) {
        beginOp(FLAG_A | FLAG_C, more);
        overwrite(data);
    }

    private void runF() {
        state[position] ^= (byte) positionBegin;
        state[position + 1] ^= 0x04;
        state[RATE + 1] ^= (byte) 0x80;
        Keccak.f1600(state);
        position = 0;
        positionBegin = 0;
    }

    private void absorb(byte[] data) {
        for (byte b : data) {
            state[position] ^= b;
            position++;
            if (position == RATE) {
                runF();
            }
        }
    }

    private void overwrite(byte[] data) {
        for (byte b : data) {
            state[position] = b;
            position++;
            if (position == RATE) {
                runF();
            }
        }
    }

    private void squeeze(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = state[position];
            state[position] = 0;
            position++;
            if (position == RATE) {
                runF();
            }
        }
    }

    private void beginOp(int flags, boolean more) {
        if (more) {
            if (currentFlags != flags) {
                throw new IllegalStateException("continued STROBE operation with other flags");
            }
            return;
        }
        if ((flags & FLAG_T) != 0) {
            throw new IllegalStateException("transport operations are not used by Merlin");
        }
        int oldBegin = positionBegin;
        positionBegin = position + 1;
        currentFlags = flags;
        absorb(new byte[] {(byte) oldBegin, (byte) flags});
        boolean forceF = (flags & (FLAG_C | FLAG_K)) != 0;
        if (forceF && position != 0) {
            runF();
        }
    }

    /** Keccak-f[1600] on a 200-byte little-endian state. */
    static final class Keccak {
        private static final long[] ROUND_CONSTANTS = {
            0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L, 0x000000000000808bL,
            0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L, 0x000000000000008aL, 0x0000000000000088L,
            0x0000000080008009L, 0x000000008000000aL, 0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L,
            0x8000000000008003L, 0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
            0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
        };
        private static final int[] ROTATIONS = {
            0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14
        };

        private Keccak() {}

        static void f1600(byte[] bytes) {
            long[] a = new long[25];
            for (int i = 0; i < 25; i++) {
                long lane = 0;
                for (int b = 7; b >= 0; b--) {
                    lane = (lane << 8) | (bytes[i * 8 + b] & 0xffL);
                }
                a[i] = lane;
            }
            long[] c = new long[5];
            long[] b = new long[25];
            for (long rc : ROUND_CONSTANTS) {
                for (int x = 0; x < 5; x++) {
                    c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
                }
                for (int x = 0; x < 5; x++) {
                    long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
                    for (int y = 0; y < 25; y += 5) {
                        a[y + x] ^= d;
                    }
                }
                for (int x = 0; x < 5; x++) {
                    for (int y = 0; y < 5; y++) {
                        int index = x + 5 * y;
                        b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(a[index], ROTATIONS[index]);
                    }
                }
                for (int y = 0; y < 25; y += 5) {
                    for (int x = 0; x < 5; x++) {
                        a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
                    }
                }
                a[0] ^= rc;
            }
            for (int i = 0; i < 25; i++) {
                long lane = a[i];
                for (int k = 0; k < 8; k++) {
                    bytes[i * 8 + k] = (byte) (lane >>> (8 * k));
                }
            }
        }
    }
}
