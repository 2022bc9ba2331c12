package io.pretrain4j.ports.inference;

import io.pretrain4j.domain.ErrorCode;
import io.pretrain4j.domain.ErrorType;

/** Errors of inference backends. */
public enum InferenceErrorCode implements ErrorCode {
    /** The model's files are wrong: missing or misshapen tensor, bad config.json, NaN weights. */
    MODEL_INVALID(ErrorType.USER),
    /** The model is well-formed but of an architecture or option the backend does not implement. */
    MODEL_UNSUPPORTED(ErrorType.USER),
    /** The token windows are wrong: too short, too long, or ids outside the vocabulary. */
    INPUT_INVALID(ErrorType.USER),
    /** The requested device or precision is not available here. */
    DEVICE_UNAVAILABLE(ErrorType.USER),
    /** The engine failed (native error, out of memory). */
    BACKEND_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    InferenceErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
