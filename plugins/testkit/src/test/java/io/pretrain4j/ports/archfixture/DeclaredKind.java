package io.pretrain4j.ports.archfixture;

/** An enum may stay in ports. */
public enum DeclaredKind {
    WIDE,
    NARROW
}
