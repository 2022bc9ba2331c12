package io.pretrain4j.domain.data;

import static io.pretrain4j.domain.Golden.asInt;
import static io.pretrain4j.domain.Golden.asLong;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.random.MersenneTwister;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Page choice and window shuffle against what CPython's {@code random} draws when running the
 * reference's algorithm ({@code src/test/python/reference_pages.py} wrote golden/reference-pages.json).
 */
class ReferencePagesTest {
    private static final Map<String, Object> GOLDEN = Golden.load("reference-pages.json");

    @Test
    void pagesEqualThoseThePythonReferenceChooses() {
        int cases = 0;
        int pages = 0;
        for (Object item : list(GOLDEN.get("pages"))) {
            Map<String, Object> testCase = map(item);
            BigInteger seed = new BigInteger((String) testCase.get("seed"));
            int numPages = asInt(testCase.get("numPages"));
            PageSampler sampler = switch ((String) testCase.get("style")) {
                case "simple" ->
                    new OffsetPageSampler(
                            "default",
                            "train",
                            asLong(testCase.get("minOffset")),
                            asLong(testCase.get("maxOffset")),
                            numPages,
                            50);
                case "configs" -> new ConfigPageSampler(splits(testCase.get("splits")), numPages, 50);
                default -> throw new IllegalStateException("unknown style " + testCase.get("style"));
            };
            MersenneTwister random = MersenneTwister.seeded(seed);
            for (Object roundItem : list(testCase.get("rounds"))) {
                List<Page> expected = new ArrayList<>();
                for (Object pageItem : list(roundItem)) {
                    Map<String, Object> page = map(pageItem);
                    expected.add(new Page(
                            (String) page.getOrDefault("config", "default"),
                            (String) page.getOrDefault("split", "train"),
                            asLong(page.get("offset")),
                            50));
                }
                assertThat(sampler.nextRound(random))
                        .as("%s seed %s", testCase.get("name"), seed)
                        .isEqualTo(expected);
                pages += expected.size();
            }
            cases++;
        }
        assertThat(cases).isEqualTo(42);
        assertThat(pages).isGreaterThan(1000);
    }

    @Test
    void shuffleEqualsPythonsRandomShuffle() {
        int checked = 0;
        for (Object item : list(GOLDEN.get("shuffles"))) {
            Map<String, Object> testCase = map(item);
            int n = asInt(testCase.get("n"));
            List<int[]> windows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                windows.add(new int[] {i});
            }
            List<int[]> shuffled =
                    Packing.shuffleAndLimit(windows, new BigInteger((String) testCase.get("seed")), Integer.MAX_VALUE);
            List<Integer> order = shuffled.stream().map(window -> window[0]).toList();
            List<Integer> expected =
                    list(testCase.get("order")).stream().map(Golden::asInt).toList();
            assertThat(order).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(35);
    }

    @Test
    void tooFewRowsForAPageIsAnErrorNotAHang() {
        ConfigPageSampler sampler =
                new ConfigPageSampler(List.of(new ConfigPageSampler.Split("tiny", "train", 3)), 2, 50);
        // initial offset in [0, 49]; a config of 3 rows has no whole page from most offsets
        assertThatThrownBy(() -> {
                    for (long seed = 0; seed < 20; seed++) {
                        sampler.nextRound(MersenneTwister.seeded(seed));
                    }
                })
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("config 'tiny' has 3 rows");
    }

    @Test
    void onlyDefaultConfigIsRejected() {
        assertThatThrownBy(() ->
                        new ConfigPageSampler(List.of(new ConfigPageSampler.Split("default", "train", 1000)), 2, 50))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("no config other than 'default'");
        assertThatThrownBy(() -> new OffsetPageSampler("default", "train", 0, 10, 2, 101))
                .hasMessageContaining("rows per page must be in [1, 100]");
    }

    private static List<ConfigPageSampler.Split> splits(Object value) {
        List<ConfigPageSampler.Split> splits = new ArrayList<>();
        for (Object item : list(value)) {
            Map<String, Object> split = map(item);
            splits.add(new ConfigPageSampler.Split(
                    (String) split.get("config"), (String) split.get("split"), asLong(split.get("num_rows"))));
        }
        return splits;
    }
}
