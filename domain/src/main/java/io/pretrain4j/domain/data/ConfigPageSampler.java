package io.pretrain4j.domain.data;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.random.MersenneTwister;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's FineWeb-style loaders: pages aligned on {@code rowsPerPage} from a random initial
 * offset, each from a config chosen at random among the dataset's configs (those {@code /size}
 * lists, {@code default} excluded). A page drawn twice in a round is re-drawn; after
 * {@value #DUPLICATE_THRESHOLD} duplicates the round ends early with the pages it has.
 */
public final class ConfigPageSampler implements PageSampler {
    /** The reference's {@code duplicate_page_threshold}. */
    public static final int DUPLICATE_THRESHOLD = 100;

    /** One split of a config as {@code /size} lists it. */
    public record Split(String config, String split, long numRows) {}

    private final List<String> names;
    private final Map<String, Split> configs;
    private final int numPages;
    private final int rowsPerPage;

    /**
     * @param splits the {@code /size} response's splits in response order; {@code default} is left
     *     out and a config listed twice keeps its first position and its last values, as Python's
     *     dict comprehension does
     */
    public ConfigPageSampler(List<Split> splits, int numPages, int rowsPerPage) {
        OffsetPageSampler.checkCounts(numPages, rowsPerPage);
        Map<String, Split> byName = new LinkedHashMap<>();
        for (Split split : splits) {
            if (!split.config().equals("default")) {
                byName.put(split.config(), split);
            }
        }
        if (byName.isEmpty()) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "the dataset lists no config other than 'default'");
        }
        this.configs = byName;
        this.names = List.copyOf(byName.keySet());
        this.numPages = numPages;
        this.rowsPerPage = rowsPerPage;
    }

    @Override
    public List<Page> nextRound(MersenneTwister random) {
        List<Page> pages = new ArrayList<>(numPages);
        int duplicates = 0;
        long initialOffset = random.randint(0, rowsPerPage - 1L);
        while (pages.size() < numPages) {
            Split chosen = configs.get(random.choice(names));
            long rows = chosen.numRows() - initialOffset;
            long pageCount = Math.floorDiv(rows + 1, rowsPerPage);
            if (pageCount < 1) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT,
                        "config '" + chosen.config() + "' has " + chosen.numRows() + " rows, too few for one page of "
                                + rowsPerPage + " from offset " + initialOffset);
            }
            long start = initialOffset + random.randint(0, pageCount - 1) * rowsPerPage;
            Page page = new Page(chosen.config(), chosen.split(), start, rowsPerPage);
            if (pages.contains(page)) {
                duplicates++;
                if (duplicates >= DUPLICATE_THRESHOLD) {
                    break;
                }
                continue;
            }
            pages.add(page);
        }
        return pages;
    }

    @Override
    public boolean keepsEarlierRounds() {
        return true;
    }
}
