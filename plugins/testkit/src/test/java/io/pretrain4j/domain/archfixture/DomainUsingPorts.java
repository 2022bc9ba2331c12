package io.pretrain4j.domain.archfixture;

import io.pretrain4j.ports.PortErrorCode;

/** Violates "domain depends on the JDK only". */
public final class DomainUsingPorts {
    public Object code() {
        return PortErrorCode.INVALID_CONFIG;
    }
}
