package io.pretrain4j.ports.chain;

import io.pretrain4j.domain.ErrorCode;
import io.pretrain4j.domain.ErrorType;

/** Errors of chains: the chain's own rules, and the chain being unreachable or damaged. */
public enum ChainErrorCode implements ErrorCode {
    /** The hotkey is not registered on the subnet. */
    NOT_REGISTERED(ErrorType.USER),
    /** A commitment or set_weights came before the rate limit allows; the message says when it will. */
    RATE_LIMITED(ErrorType.USER),
    /** The commitment is larger than the chain accepts (128 bytes). */
    COMMITMENT_TOO_LARGE(ErrorType.USER),
    /** set_weights without a validator permit. */
    NO_VALIDATOR_PERMIT(ErrorType.USER),
    /** set_weights with a version key below the subnet's. */
    VERSION_KEY_TOO_LOW(ErrorType.USER),
    /** Weights the chain rejects: unknown or repeated uids, lengths that differ, all zero. */
    INVALID_WEIGHTS(ErrorType.USER),
    /** A block that does not exist (yet). */
    UNKNOWN_BLOCK(ErrorType.USER),
    /** The chain cannot be reached or its storage cannot be read. */
    CHAIN_UNAVAILABLE(ErrorType.EXTERNAL);

    private final ErrorType type;

    ChainErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
