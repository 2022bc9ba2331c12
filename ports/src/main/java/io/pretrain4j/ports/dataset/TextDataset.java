package io.pretrain4j.ports.dataset;

import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.PageSampler;
import java.util.List;

/**
 * A corpus read page by page, as validators sample it. Page choice is the domain's
 * ({@link PageSampler}), so two validators given the same seed fetch the same pages; a dataset
 * only says how its pages are laid out and fetches them.
 */
public interface TextDataset extends AutoCloseable {
    /** A stable description that identifies the data, e.g. {@code hf-rows:HuggingFaceFW/fineweb}. */
    String id();

    /**
     * How this dataset's pages are drawn for an evaluation of {@code numPages} pages. May read
     * metadata (a remote dataset lists its configs and row counts).
     *
     * @throws io.pretrain4j.domain.Pretrain4jException {@link DatasetErrorCode#DATASET_UNAVAILABLE}
     *     when the metadata cannot be read after the configured retries
     */
    PageSampler sampler(int numPages);

    /**
     * The documents of one page, in row order. A failure is retried on the SAME page (never a newly
     * drawn one, which would desynchronise validators) until the configured retries run out.
     *
     * @throws io.pretrain4j.domain.Pretrain4jException {@link DatasetErrorCode#DATASET_UNAVAILABLE}
     *     when retries run out, {@link DatasetErrorCode#DATASET_INVALID} when the data is malformed
     */
    List<String> fetch(Page page);

    @Override
    default void close() {}
}
