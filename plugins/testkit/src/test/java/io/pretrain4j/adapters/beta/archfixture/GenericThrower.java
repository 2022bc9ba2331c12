package io.pretrain4j.adapters.beta.archfixture;

/** Violates "no generic exceptions". */
public final class GenericThrower {
    public void fail() {
        throw new RuntimeException("something");
    }
}
