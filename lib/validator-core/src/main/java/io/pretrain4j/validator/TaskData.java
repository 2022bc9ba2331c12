package io.pretrain4j.validator;

import io.pretrain4j.evaluation.EvalWindows;

/** The windows of one task in a step: dataset by configured name, tokenizer by Hugging Face id. */
@FunctionalInterface
public interface TaskData {
    /** Builds (or reads from a cache) the windows; fails with a {@code Pretrain4jException} naming the cause. */
    EvalWindows.Result windows(String datasetName, String tokenizerId, EvalWindows.Request request);
}
