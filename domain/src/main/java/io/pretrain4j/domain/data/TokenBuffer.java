package io.pretrain4j.domain.data;

import java.util.Arrays;

/** A growable array of token ids (no boxing). Not thread-safe. */
public final class TokenBuffer {
    private int[] tokens;
    private int size;

    public TokenBuffer(int initialCapacity) {
        tokens = new int[Math.max(16, initialCapacity)];
    }

    public void add(int token) {
        ensure(size + 1);
        tokens[size++] = token;
    }

    public void add(int[] more) {
        ensure(size + more.length);
        System.arraycopy(more, 0, tokens, size, more.length);
        size += more.length;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public int[] copyOfRange(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside [0, " + size + ")");
        }
        return Arrays.copyOfRange(tokens, from, to);
    }

    private void ensure(int capacity) {
        if (capacity < 0) {
            throw new IllegalStateException("token buffer over 2^31 tokens");
        }
        if (capacity > tokens.length) {
            tokens = Arrays.copyOf(
                    tokens, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(capacity, 2L * tokens.length)));
        }
    }
}
