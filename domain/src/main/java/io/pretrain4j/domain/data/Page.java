package io.pretrain4j.domain.data;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

/**
 * One page of a dataset: {@code rows} consecutive rows from row {@code offset} of a config's split,
 * as the datasets-server {@code /rows} endpoint serves them.
 *
 * @param config the dataset config (e.g. {@code CC-MAIN-2024-10}, {@code default})
 * @param split the split (e.g. {@code train})
 * @param offset the first row
 * @param rows how many rows the page holds at most
 */
public record Page(String config, String split, long offset, int rows) {
    public Page {
        requireNonNull(config, "config is null");
        requireNonNull(split, "split is null");
        if (offset < 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "page offset must be >= 0, got " + offset);
        }
        if (rows <= 0) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, "rows per page must be > 0, got " + rows);
        }
    }

    /** The reference's page name: {@code <config>_<offset>_<split>}. */
    public String name() {
        return config + "_" + offset + "_" + split;
    }
}
