package io.pretrain4j.ports.store;

import io.pretrain4j.domain.ErrorCode;
import io.pretrain4j.domain.ErrorType;

/** Errors of model stores. */
public enum ModelStoreErrorCode implements ErrorCode {
    /** The repo, the commit or a file of it does not exist (or is gated). */
    MODEL_NOT_FOUND(ErrorType.USER),
    /** The repo's files add up to more than the competition allows. */
    MODEL_TOO_LARGE(ErrorType.USER),
    /** The repo is unfit: no config.json or safetensors, a hostile file name, a file whose hash or size is not the announced one. */
    MODEL_FILES_INVALID(ErrorType.USER),
    /** The store could not be reached or kept failing after the configured retries. */
    STORE_UNAVAILABLE(ErrorType.EXTERNAL),
    /** The local disk failed (full, unwritable). */
    STORE_IO(ErrorType.EXTERNAL);

    private final ErrorType type;

    ModelStoreErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
