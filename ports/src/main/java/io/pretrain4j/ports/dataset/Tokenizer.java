package io.pretrain4j.ports.dataset;

import java.util.Arrays;

/**
 * Turns text into the token ids a competition's models were trained on, as the reference's Hugging
 * Face tokenizer does: special tokens written in the text (e.g. {@code <|endoftext|>}) become their
 * ids, no BOS is added, and {@link #encodeDocument} truncates at the tokenizer's model max length
 * ({@code tokenizer(text, truncation=True)}). Lone UTF-16 surrogates in the text are encoded as
 * U+FFFD ({@code io.pretrain4j.domain.data.WellFormedText}, the one place that rule lives).
 * Implementations are thread-safe.
 */
public interface Tokenizer {
    /** The Hugging Face id this tokenizer reproduces, e.g. {@code Xenova/gpt-4} or {@code gpt2}. */
    String id();

    /** All of the text's tokens, without truncation. */
    int[] encode(String text);

    /** The text of {@code tokens}; bytes that are not valid UTF-8 become U+FFFD. */
    String decode(int[] tokens);

    /** The end-of-sequence token appended after every document. */
    int eosTokenId();

    /** One more than the largest token id. */
    int vocabSize();

    /** The Hugging Face {@code model_max_length}: documents are cut to this many tokens. */
    int modelMaxLength();

    /** A document's tokens as the reference feeds them to packing: {@link #encode}, truncated. */
    default int[] encodeDocument(String text) {
        int[] tokens = encode(text);
        return tokens.length > modelMaxLength() ? Arrays.copyOf(tokens, modelMaxLength()) : tokens;
    }
}
