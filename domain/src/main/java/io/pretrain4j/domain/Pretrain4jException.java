package io.pretrain4j.domain;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked root exception of pretrain4j. Every failure carries an {@link ErrorCode}
 * and a message a person can act on: what was wrong, where, and what is allowed. Messages have every
 * registered secret taken out ({@link Secrets#redact}): they cross ports, reach logs and state.
 */
public class Pretrain4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    // Error codes are enums of the module that raised them; exceptions are not sent across JVMs.
    private final transient ErrorCode errorCode;

    /** Creates an exception with a code and a message. */
    public Pretrain4jException(ErrorCode errorCode, String message) {
        super(Secrets.redact(requireNonNull(message, "message is null")));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /** Creates an exception with a code, a message and the cause. */
    public Pretrain4jException(ErrorCode errorCode, String message, Throwable cause) {
        super(Secrets.redact(requireNonNull(message, "message is null")), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /** The error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
