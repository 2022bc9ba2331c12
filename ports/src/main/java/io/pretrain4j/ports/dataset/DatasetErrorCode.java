package io.pretrain4j.ports.dataset;

import io.pretrain4j.domain.ErrorCode;
import io.pretrain4j.domain.ErrorType;

/** Errors of datasets and tokenizers. */
public enum DatasetErrorCode implements ErrorCode {
    /** The data source could not be reached or kept failing after the configured retries. */
    DATASET_UNAVAILABLE(ErrorType.EXTERNAL),
    /** The data is malformed: unreadable JSON, a missing text field, a file that is not JSON lines. */
    DATASET_INVALID(ErrorType.USER),
    /** The pages held too few tokens for a single window. */
    NOT_ENOUGH_DATA(ErrorType.USER),
    /** No tokenizer with the requested id is available. */
    UNKNOWN_TOKENIZER(ErrorType.USER);

    private final ErrorType type;

    DatasetErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
