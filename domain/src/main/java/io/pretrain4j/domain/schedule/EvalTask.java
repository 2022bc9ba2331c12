package io.pretrain4j.domain.schedule;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One evaluation task of a competition (taoverse {@code EvalTask}).
 *
 * @param name the task's name, e.g. {@code FINEWEB}
 * @param method {@code TEXT_LOSS} or {@code WER}
 * @param dataset the dataset's reference name ({@code DatasetId}), e.g. {@code FINEWEB}
 * @param normalization {@code NONE} or {@code INVERSE_EXPONENTIAL}
 * @param weight the task's share of the score, &gt; 0
 * @param datasetKwargs loader arguments such as {@code num_pages}
 */
public record EvalTask(
        String name,
        String method,
        String dataset,
        String normalization,
        double weight,
        Map<String, String> datasetKwargs) {
    public EvalTask {
        requireNonNull(name, "name is null");
        requireNonNull(method, "method is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(normalization, "normalization is null");
        datasetKwargs = Map.copyOf(datasetKwargs);
    }
}
