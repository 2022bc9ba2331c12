package io.pretrain4j.ports;

import io.pretrain4j.domain.ErrorCode;
import io.pretrain4j.domain.ErrorType;

/** Error codes shared by ports and the adapters behind them. */
public enum PortErrorCode implements ErrorCode {
    /** A factory was given configuration it does not understand. */
    INVALID_CONFIG(ErrorType.USER),
    /** No factory of the requested kind has the requested name. */
    UNKNOWN_FACTORY(ErrorType.USER),
    /** Two plugins contribute a factory of the same kind under the same name. */
    DUPLICATE_FACTORY(ErrorType.USER),
    /** A plugin was built against an SPI version this host does not speak. */
    INCOMPATIBLE_PLUGIN(ErrorType.USER),
    /** A plugin failed to load or to list its factories. */
    PLUGIN_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    PortErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
