package io.pretrain4j.domain;

/** An error code: each module has an enum implementing this interface. */
public interface ErrorCode {
    /** The code's name, e.g. {@code INVALID_MODEL_ID}. */
    String name();

    /** Who is at fault. */
    ErrorType type();
}
