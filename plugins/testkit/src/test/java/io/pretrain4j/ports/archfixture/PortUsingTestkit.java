package io.pretrain4j.ports.archfixture;

import io.pretrain4j.plugins.testkit.PackageCheck;

/** Violates "ports depend on the domain only". */
public final class PortUsingTestkit {
    public Class<?> helper() {
        return PackageCheck.class;
    }
}
