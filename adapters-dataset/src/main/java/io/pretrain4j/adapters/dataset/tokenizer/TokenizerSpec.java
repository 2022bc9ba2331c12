package io.pretrain4j.adapters.dataset.tokenizer;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face tokenizers the subnet has used and the tiktoken encoding each one is: the same
 * byte-level BPE ranks and pre-tokenisation, the same added (special) tokens, and the
 * {@code model_max_length} of the repo's {@code tokenizer_config.json} that {@code truncation=True}
 * cuts at.
 *
 * @param id the Hugging Face id
 * @param encoding the tiktoken encoding
 * @param eosTokenId the id of {@code <|endoftext|>}
 * @param vocabSize one more than the largest id
 * @param modelMaxLength the truncation length
 * @param specialTokens added tokens recognised in text, by id
 */
record TokenizerSpec(
        String id,
        EncodingType encoding,
        int eosTokenId,
        int vocabSize,
        int modelMaxLength,
        Map<String, Integer> specialTokens) {
    private static final Map<String, TokenizerSpec> BY_ID = new LinkedHashMap<>();

    static {
        Map<String, Integer> gpt2Specials = Map.of("<|endoftext|>", 50256);
        // GPT2TokenizerFast, model_max_length 1024; distilgpt2 (the 2024 competitions) is the same tokenizer.
        add(new TokenizerSpec("gpt2", EncodingType.R50K_BASE, 50256, 50257, 1024, gpt2Specials));
        add(new TokenizerSpec("distilgpt2", EncodingType.R50K_BASE, 50256, 50257, 1024, gpt2Specials));
        // Xenova/gpt-4: cl100k_base as a GPT2TokenizerFast, model_max_length 8192, its five added tokens.
        Map<String, Integer> cl100kSpecials = new LinkedHashMap<>();
        cl100kSpecials.put("<|endoftext|>", 100257);
        cl100kSpecials.put("<|fim_prefix|>", 100258);
        cl100kSpecials.put("<|fim_middle|>", 100259);
        cl100kSpecials.put("<|fim_suffix|>", 100260);
        cl100kSpecials.put("<|endofprompt|>", 100276);
        add(new TokenizerSpec("Xenova/gpt-4", EncodingType.CL100K_BASE, 100257, 100277, 8192, cl100kSpecials));
    }

    TokenizerSpec {
        specialTokens = Map.copyOf(specialTokens);
    }

    private static void add(TokenizerSpec spec) {
        BY_ID.put(spec.id(), spec);
    }

    static Optional<TokenizerSpec> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    static List<String> ids() {
        return List.copyOf(BY_ID.keySet());
    }
}
