package io.pretrain4j.domain.data;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.random.MersenneTwister;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's simple loaders (Falcon, Pes2oX, FineMath, Stack): {@code numPages} row offsets
 * drawn with {@code randint(minOffset, maxOffset)} from one config and split; pages may overlap or
 * repeat, as in the reference.
 */
public final class OffsetPageSampler implements PageSampler {
    private final String config;
    private final String split;
    private final long minOffset;
    private final long maxOffset;
    private final int numPages;
    private final int rowsPerPage;

    /**
     * @param minOffset smallest offset drawn (the reference uses 1)
     * @param maxOffset largest offset drawn (the reference's {@code max_pages})
     */
    public OffsetPageSampler(
            String config, String split, long minOffset, long maxOffset, int numPages, int rowsPerPage) {
        this.config = requireNonNull(config, "config is null");
        this.split = requireNonNull(split, "split is null");
        if (minOffset < 0 || maxOffset < minOffset) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "page offsets must satisfy 0 <= min <= max, got [" + minOffset + ", " + maxOffset + "]");
        }
        checkCounts(numPages, rowsPerPage);
        this.minOffset = minOffset;
        this.maxOffset = maxOffset;
        this.numPages = numPages;
        this.rowsPerPage = rowsPerPage;
    }

    @Override
    public List<Page> nextRound(MersenneTwister random) {
        List<Page> pages = new ArrayList<>(numPages);
        for (int i = 0; i < numPages; i++) {
            pages.add(new Page(config, split, random.randint(minOffset, maxOffset), rowsPerPage));
        }
        return pages;
    }

    @Override
    public boolean keepsEarlierRounds() {
        return false;
    }

    static void checkCounts(int numPages, int rowsPerPage) {
        if (numPages <= 0) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "number of pages must be > 0, got " + numPages);
        }
        if (rowsPerPage <= 0 || rowsPerPage > 100) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "rows per page must be in [1, 100] (the datasets-server's limit), got " + rowsPerPage);
        }
    }
}
