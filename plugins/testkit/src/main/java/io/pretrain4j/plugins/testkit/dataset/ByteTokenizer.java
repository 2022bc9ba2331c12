package io.pretrain4j.plugins.testkit.dataset;

import io.pretrain4j.ports.dataset.Tokenizer;
import java.nio.charset.StandardCharsets;

/**
 * A transparent tokenizer for dataset tests: a token per UTF-8 byte (0..255), EOS 256, documents
 * truncated at {@code modelMaxLength}. Windows built with it decode back to the documents' text.
 */
public final class ByteTokenizer implements Tokenizer {
    /** The EOS id. */
    public static final int EOS = 256;

    private final int modelMaxLength;

    public ByteTokenizer(int modelMaxLength) {
        this.modelMaxLength = modelMaxLength;
    }

    @Override
    public String id() {
        return "testkit/bytes-" + modelMaxLength;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xff;
        }
        return tokens;
    }

    @Override
    public String decode(int[] tokens) {
        byte[] bytes = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            bytes[i] = (byte) (tokens[i] == EOS ? '\n' : tokens[i]);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int eosTokenId() {
        return EOS;
    }

    @Override
    public int vocabSize() {
        return 257;
    }

    @Override
    public int modelMaxLength() {
        return modelMaxLength;
    }
}
