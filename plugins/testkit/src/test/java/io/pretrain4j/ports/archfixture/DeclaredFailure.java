package io.pretrain4j.ports.archfixture;

/** An exception may stay in ports. */
public final class DeclaredFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeclaredFailure(String message) {
        super(message);
    }
}
