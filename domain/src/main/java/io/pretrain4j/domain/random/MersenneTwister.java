package io.pretrain4j.domain.random;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
import java.util.List;

/**
 * MT19937 with CPython's {@code random.Random} seeding and derived methods, so that a seed gives
 * the same pages and the same shuffles as a Python validator, bit for bit.
 *
 * <p>{@code seed(n)} uses {@code init_by_array} over the 32-bit little-endian words of {@code |n|}
 * (one zero word for 0); {@code getrandbits(k)} fills words from the least significant end and
 * shifts the last one; {@code randbelow(n)} draws {@code n.bit_length()} bits and rejects values
 * {@code >= n}; {@code randint}, {@code choice} and {@code shuffle} are built on it as in
 * CPython 3.11/3.12. Not thread-safe, like one {@code random.Random}.
 */
public final class MersenneTwister {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int index;

    private MersenneTwister() {}

    /** {@code random.Random(seed)} for an integer seed of any size. */
    public static MersenneTwister seeded(BigInteger seed) {
        MersenneTwister twister = new MersenneTwister();
        twister.seed(seed);
        return twister;
    }

    /** {@code random.Random(seed)}. */
    public static MersenneTwister seeded(long seed) {
        return seeded(BigInteger.valueOf(seed));
    }

    /** {@code random.seed(seed)}: re-seeds this generator. */
    public void seed(BigInteger seed) {
        BigInteger magnitude = seed.abs();
        int words = Math.max(1, (magnitude.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = magnitude.shiftRight(32 * i).intValue();
        }
        initByArray(key);
    }

    /** {@code getrandbits(32)} as an unsigned value. */
    public long nextUnsignedInt() {
        return Integer.toUnsignedLong(next32());
    }

    /** {@code random.getrandbits(k)}. */
    public BigInteger getrandbits(int k) {
        if (k < 0) {
            throw invalid("getrandbits: number of bits must be non-negative, got " + k);
        }
        if (k == 0) {
            return BigInteger.ZERO;
        }
        if (k <= 32) {
            return BigInteger.valueOf(Integer.toUnsignedLong(next32()) >>> (32 - k));
        }
        int words = (k - 1) / 32 + 1;
        byte[] bigEndian = new byte[words * 4];
        int remaining = k;
        for (int i = 0; i < words; i++, remaining -= 32) {
            int r = next32();
            if (remaining < 32) {
                r >>>= 32 - remaining;
            }
            int at = (words - 1 - i) * 4;
            bigEndian[at] = (byte) (r >>> 24);
            bigEndian[at + 1] = (byte) (r >>> 16);
            bigEndian[at + 2] = (byte) (r >>> 8);
            bigEndian[at + 3] = (byte) r;
        }
        return new BigInteger(1, bigEndian);
    }

    /** {@code _randbelow(n)}: uniform in [0, n), by rejection on {@code n.bit_length()} bits. */
    public long randbelow(long n) {
        if (n <= 0) {
            throw invalid("randbelow: bound must be positive, got " + n);
        }
        int k = 64 - Long.numberOfLeadingZeros(n);
        if (k <= 32) {
            long r = Integer.toUnsignedLong(next32()) >>> (32 - k);
            while (r >= n) {
                r = Integer.toUnsignedLong(next32()) >>> (32 - k);
            }
            return r;
        }
        long r = getrandbits(k).longValue();
        while (r >= n) {
            r = getrandbits(k).longValue();
        }
        return r;
    }

    /** {@code randint(a, b)}: uniform in [a, b], both ends included. */
    public long randint(long a, long b) {
        if (b < a) {
            throw invalid("randint: empty range (" + a + ", " + b + ")");
        }
        return a + randbelow(Math.addExact(Math.subtractExact(b, a), 1));
    }

    /** {@code choice(seq)}. */
    public <T> T choice(List<T> items) {
        if (items.isEmpty()) {
            throw invalid("choice: cannot choose from an empty sequence");
        }
        return items.get((int) randbelow(items.size()));
    }

    /** {@code shuffle(x)} in place (Fisher-Yates from the end, as CPython). */
    public <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = (int) randbelow(i + 1L);
            T tmp = items.get(i);
            items.set(i, items.get(j));
            items.set(j, tmp);
        }
    }

    /** {@code random()}: a double in [0, 1) with 53 random bits. */
    public double random() {
        long a = Integer.toUnsignedLong(next32()) >>> 5;
        long b = Integer.toUnsignedLong(next32()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    private void initGenrand(int s) {
        state[0] = s;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                state[0] = state[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                state[0] = state[N - 1];
                i = 1;
            }
        }
        state[0] = 0x80000000;
        index = N;
    }

    private int next32() {
        if (index >= N) {
            twist();
        }
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int kk = 0; kk < N; kk++) {
            int y = (state[kk] & UPPER_MASK) | (state[(kk + 1) % N] & LOWER_MASK);
            state[kk] = state[(kk + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, message);
    }
}
