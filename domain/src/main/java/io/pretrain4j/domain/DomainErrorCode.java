package io.pretrain4j.domain;

/** Error codes raised by the domain. */
public enum DomainErrorCode implements ErrorCode {
    INVALID_MODEL_ID(ErrorType.USER),
    INVALID_SCORING_INPUT(ErrorType.USER),
    INVALID_SCHEDULE(ErrorType.USER),
    INVALID_WEIGHTS(ErrorType.USER),
    INVALID_ARGUMENT(ErrorType.USER),
    INVALID_SAFETENSORS(ErrorType.USER),
    MODEL_FILES_UNREADABLE(ErrorType.EXTERNAL);

    private final ErrorType type;

    DomainErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
