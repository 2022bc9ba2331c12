package io.pretrain4j.ports.archfixture;

/** What a ports package may hold (with {@link DeclaredShape}, {@link DeclaredKind}, {@link DeclaredFailure}): an interface. */
public interface DeclaredPort {
    DeclaredShape shape();
}
