package io.pretrain4j.plugins.testkit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.ports.dataset.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Tokenizer} must do, as a JUnit 5 suite: extend it and implement
 * {@link #createTokenizer()}. Equality with the Hugging Face tokenizer it reproduces is each
 * implementation's own golden test; this suite checks the contract around it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TokenizerContract {
    /** Texts that exercise byte-level BPE: ASCII, accents, CJK, emoji, odd whitespace, digits, code. */
    protected static final List<String> TEXTS = List.of(
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced \"no evidence\".",
            "naïve café, Œuvre — déjà vu; Straße; ıİ",
            "日本語のテキストと中文文本，还有한국어.",
            "emoji 🙂👍🏽 and flags 🇺🇸 and ZWJ 👩‍👩‍👧",
            "tabs\tand  double  spaces\n\n\nand trailing   \r\n",
            "numbers 1234567890 3.14159 1e-10 0x7fffffff",
            "def f(x):\n    return {'a': [x ** 2 for x in range(10)]}  # code\n",
            "");

    /** The tokenizer under test. */
    protected abstract Tokenizer createTokenizer();

    @Test
    void decodingGivesTheTextBack() {
        Tokenizer tokenizer = createTokenizer();
        for (String text : TEXTS) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void idsAreInsideTheVocabularyAndEmptyTextHasNoTokens() {
        Tokenizer tokenizer = createTokenizer();
        assertThat(tokenizer.encode("")).isEmpty();
        assertThat(tokenizer.eosTokenId()).isBetween(0, tokenizer.vocabSize() - 1);
        for (String text : TEXTS) {
            assertThat(Arrays.stream(tokenizer.encode(text)).boxed().toList())
                    .allSatisfy(id -> assertThat(id).isBetween(0, tokenizer.vocabSize() - 1));
        }
    }

    @Test
    void loneSurrogatesAreEncodedAsTheReplacementCharacter() {
        Tokenizer tokenizer = createTokenizer();
        // a lone high, a lone low, a reversed pair, a high at the end; a well-formed pair stays
        String[][] cases = {
            {"abc\ud800def", "abc\ufffddef"},
            {"abc\udc00def", "abc\ufffddef"},
            {"x\udc00\ud800y", "x\ufffd\ufffdy"},
            {"end\udbff", "end\ufffd"},
            {"ok \ud83d\ude42 \ud800", "ok \ud83d\ude42 \ufffd"}
        };
        for (String[] c : cases) {
            assertThat(tokenizer.encode(c[0])).as(c[1]).containsExactly(tokenizer.encode(c[1]));
            assertThat(tokenizer.encodeDocument(c[0])).as(c[1]).containsExactly(tokenizer.encodeDocument(c[1]));
        }
    }

    @Test
    void theEosTextIsTheEosToken() {
        Tokenizer tokenizer = createTokenizer();
        String eos = tokenizer.decode(new int[] {tokenizer.eosTokenId()});
        int[] tokens = tokenizer.encode("end" + eos + "start");
        assertThat(tokens).contains(tokenizer.eosTokenId());
        assertThat(tokenizer.decode(tokens)).isEqualTo("end" + eos + "start");
    }

    @Test
    void documentsAreCutAtTheModelMaxLengthAsAPrefix() {
        Tokenizer tokenizer = createTokenizer();
        String longText = String.join(" ", TEXTS).repeat(Math.max(1, tokenizer.modelMaxLength() / 40 + 2));
        int[] all = tokenizer.encode(longText);
        int[] document = tokenizer.encodeDocument(longText);
        assertThat(all.length).isGreaterThan(tokenizer.modelMaxLength());
        assertThat(document)
                .hasSize(tokenizer.modelMaxLength())
                .isEqualTo(Arrays.copyOf(all, tokenizer.modelMaxLength()));
        assertThat(tokenizer.encodeDocument(TEXTS.get(0))).isEqualTo(tokenizer.encode(TEXTS.get(0)));
    }

    @Test
    void concurrentUseGivesTheSameTokens() {
        Tokenizer tokenizer = createTokenizer();
        List<int[]> expected = TEXTS.stream().map(tokenizer::encode).toList();
        IntStream.range(0, 64).parallel().forEach(i -> {
            int k = i % TEXTS.size();
            assertThat(tokenizer.encode(TEXTS.get(k))).isEqualTo(expected.get(k));
        });
    }
}
