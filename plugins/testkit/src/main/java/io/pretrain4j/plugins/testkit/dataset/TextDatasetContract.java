package io.pretrain4j.plugins.testkit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.PageSampler;
import io.pretrain4j.domain.data.TokenBuffer;
import io.pretrain4j.domain.random.MersenneTwister;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link TextDataset} must do, as a JUnit 5 suite: extend it and implement
 * {@link #createDataset()} (called several times; each call returns a fresh instance over the same
 * data). The windows are built with the testkit's {@link ByteTokenizer}, so the checks see text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TextDatasetContract {
    private final List<TextDataset> opened = new ArrayList<>();

    /** A fresh dataset over the same data as the previous calls. */
    protected abstract TextDataset createDataset();

    /** Pages per evaluation in these tests. */
    protected int numPages() {
        return 2;
    }

    /** Window length in these tests (bytes). */
    protected int sequenceLength() {
        return 128;
    }

    private TextDataset open() {
        TextDataset dataset = createDataset();
        opened.add(dataset);
        return dataset;
    }

    @AfterAll
    void closeAll() {
        opened.forEach(TextDataset::close);
    }

    @Test
    void idIsStableAndDescribesTheData() {
        TextDataset dataset = open();
        assertThat(dataset.id()).isNotBlank().isEqualTo(dataset.id()).isEqualTo(open().id());
    }

    @Test
    void theSameSeedChoosesTheSamePagesOnEveryInstance() {
        for (long seed : new long[] {0, 1, 2_000_003}) {
            List<Page> first = open().sampler(numPages()).nextRound(MersenneTwister.seeded(seed));
            List<Page> second = open().sampler(numPages()).nextRound(MersenneTwister.seeded(seed));
            assertThat(first).hasSize(numPages()).isEqualTo(second);
        }
    }

    @Test
    void differentSeedsChooseDifferentPages() {
        PageSampler sampler = open().sampler(numPages());
        Set<List<Page>> seen = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            seen.add(sampler.nextRound(MersenneTwister.seeded(seed)));
        }
        assertThat(seen).hasSizeGreaterThan(4);
    }

    @Test
    void aPageFetchesTheSameDocumentsEveryTime() {
        TextDataset dataset = open();
        for (Page page : dataset.sampler(numPages()).nextRound(MersenneTwister.seeded(7))) {
            List<String> documents = dataset.fetch(page);
            assertThat(documents)
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(page.rows())
                    .allSatisfy(text -> assertThat(text).isNotNull());
            assertThat(open().fetch(page)).isEqualTo(documents);
        }
    }

    @Test
    void windowsAreDeterministicFullLengthAndAtMostTheLimit() {
        EvalWindows.Request request = new EvalWindows.Request(BigInteger.valueOf(11), numPages(), sequenceLength(), 5);
        EvalWindows.Result first = EvalWindows.build(open(), new ByteTokenizer(1 << 20), request);
        EvalWindows.Result second = EvalWindows.build(open(), new ByteTokenizer(1 << 20), request);
        assertThat(first.windows())
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(5)
                .allSatisfy(w -> assertThat(w).hasSize(sequenceLength()));
        assertThat(first.sha256()).isEqualTo(second.sha256()).isEqualTo(Packing.sha256(first.windows()));
        assertThat(first.pages()).isEqualTo(second.pages());
        assertThat(Packing.sameWindows(first.windows(), second.windows())).isTrue();
    }

    @Test
    void windowsArePackedFromThePagesDocumentsWithOneEosEach() {
        TextDataset dataset = open();
        Tokenizer tokenizer = new ByteTokenizer(1 << 20);
        EvalWindows.Request request =
                new EvalWindows.Request(BigInteger.valueOf(5), numPages(), sequenceLength(), Integer.MAX_VALUE);
        EvalWindows.Result result = EvalWindows.build(dataset, tokenizer, request);
        TokenBuffer buffer = new TokenBuffer(1024);
        for (Page page : result.pages()) {
            for (String text : dataset.fetch(page)) {
                Packing.appendDocument(buffer, tokenizer.encodeDocument(text), tokenizer.eosTokenId());
            }
        }
        List<int[]> expected =
                Packing.shuffleAndLimit(Packing.windows(buffer, sequenceLength()), request.seed(), Integer.MAX_VALUE);
        assertThat(result.tokens()).isEqualTo(buffer.size());
        assertThat(Packing.sameWindows(result.windows(), expected)).isTrue();
    }

    @Test
    void documentsAreTruncatedAtTheTokenizersMaxLength() {
        TextDataset dataset = open();
        EvalWindows.Request request = new EvalWindows.Request(BigInteger.valueOf(5), numPages(), 8, Integer.MAX_VALUE);
        EvalWindows.Result result = EvalWindows.build(dataset, new ByteTokenizer(3), request);
        // every document contributes at most 3 tokens plus its EOS
        assertThat(result.tokens()).isLessThanOrEqualTo(4 * result.documents());
        assertThat(result.windows()).allSatisfy(window -> {
            int run = 0;
            for (int token : window) {
                run = token == ByteTokenizer.EOS ? 0 : run + 1;
                assertThat(run).isLessThanOrEqualTo(3);
            }
        });
    }
}
