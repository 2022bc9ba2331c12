package io.pretrain4j.ports.dataset;

import io.pretrain4j.ports.NamedFactory;
import java.util.List;

/**
 * Creates {@link Tokenizer}s. The factory's own {@link #name()} identifies the implementation
 * (e.g. {@code jtokkit}); {@link #tokenizerIds()} lists the Hugging Face tokenizer ids it
 * reproduces, and {@link #create} takes the wanted one under the key {@code id}.
 */
public interface TokenizerFactory extends NamedFactory<Tokenizer> {
    /** The config key naming the tokenizer to create. */
    String ID = "id";

    /** The tokenizer ids this factory can create, e.g. {@code gpt2}, {@code Xenova/gpt-4}. */
    List<String> tokenizerIds();
}
