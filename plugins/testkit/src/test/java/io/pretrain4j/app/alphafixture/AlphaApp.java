package io.pretrain4j.app.alphafixture;

/** An app of its own. */
public final class AlphaApp {
    public String name() {
        return "alpha";
    }
}
