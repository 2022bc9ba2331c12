package io.pretrain4j.adapters.dataset.tokenizer;

import io.pretrain4j.plugins.testkit.dataset.TokenizerContract;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The testkit's tokenizer contract for both shipped tokenizers. */
class TokenizerContractTest {
    @Nested
    class Gpt2 extends TokenizerContract {
        @Override
        protected Tokenizer createTokenizer() {
            return new JTokkitTokenizerFactory().create(Map.of("id", "gpt2"));
        }
    }

    @Nested
    class Gpt4 extends TokenizerContract {
        @Override
        protected Tokenizer createTokenizer() {
            return new JTokkitTokenizerFactory().create(Map.of("id", "Xenova/gpt-4"));
        }
    }
}
