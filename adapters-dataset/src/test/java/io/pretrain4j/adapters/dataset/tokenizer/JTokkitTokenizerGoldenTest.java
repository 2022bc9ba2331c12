package io.pretrain4j.adapters.dataset.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.adapters.dataset.json.JsonLines;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token ids against js-tiktoken, an independent implementation with its own copy of the ranks
 * (golden/tiktoken.json, made by src/test/node/tiktoken_golden.mjs), special tokens included.
 */
class JTokkitTokenizerGoldenTest {
    private static final Map<String, String> TOKENIZER_OF = Map.of("r50k_base", "gpt2", "cl100k_base", "Xenova/gpt-4");

    @Test
    void idsEqualAnIndependentTiktoken() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/tiktoken.json")) {
            golden = JsonLines.MAPPER.readTree(in);
        }
        JTokkitTokenizerFactory factory = new JTokkitTokenizerFactory();
        int checked = 0;
        long tokens = 0;
        for (JsonNode testCase : golden.get("cases")) {
            Tokenizer tokenizer = factory.create(
                    Map.of("id", TOKENIZER_OF.get(testCase.get("encoding").textValue())));
            String text = testCase.get("text").textValue();
            int[] expected = JsonLines.MAPPER.convertValue(testCase.get("ids"), int[].class);
            assertThat(tokenizer.encode(text))
                    .as("%s: %s", tokenizer.id(), text.length() > 60 ? text.substring(0, 60) : text)
                    .isEqualTo(expected);
            assertThat(tokenizer.decode(expected)).isEqualTo(text);
            checked++;
            tokens += expected.length;
        }
        assertThat(checked).isEqualTo(34);
        assertThat(tokens).isGreaterThan(5000);
    }

    @Test
    void truncationKeepsExactlyTheFirstTokensEvenInsideAMultiByteCharacter() {
        Tokenizer tokenizer = new JTokkitTokenizerFactory().create(Map.of("id", "gpt2"));
        // emoji are several byte-level tokens each: a cut at 1024 falls inside one for some prefix lengths
        for (String prefix : new String[] {"", "a", "ab", "abc"}) {
            String text = prefix + "🙂👍🏽🇺🇸".repeat(400);
            int[] all = tokenizer.encode(text);
            int[] document = tokenizer.encodeDocument(text);
            assertThat(document).hasSize(1024);
            assertThat(document).isEqualTo(Arrays.copyOf(all, 1024));
        }
    }

    @Test
    void specsMatchTheHuggingFaceTokenizers() {
        JTokkitTokenizerFactory factory = new JTokkitTokenizerFactory();
        Tokenizer gpt2 = factory.create(Map.of("id", "gpt2"));
        Tokenizer gpt4 = factory.create(Map.of("id", "Xenova/gpt-4"));
        assertThat(gpt2.eosTokenId()).isEqualTo(50256);
        assertThat(gpt2.modelMaxLength()).isEqualTo(1024);
        assertThat(gpt4.eosTokenId()).isEqualTo(100257);
        assertThat(gpt4.modelMaxLength()).isEqualTo(8192);
        assertThat(factory.tokenizerIds()).contains("gpt2", "distilgpt2", "Xenova/gpt-4");
    }
}
