package io.pretrain4j.ports.archfixture;

/** A record may stay in ports. */
public record DeclaredShape(int width, DeclaredKind kind) {}
