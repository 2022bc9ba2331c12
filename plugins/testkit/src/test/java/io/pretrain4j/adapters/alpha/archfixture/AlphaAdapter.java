package io.pretrain4j.adapters.alpha.archfixture;

import io.pretrain4j.adapters.beta.archfixture.BetaAdapter;

/** Violates "adapters never depend on each other". */
public final class AlphaAdapter {
    public BetaAdapter beta() {
        return new BetaAdapter();
    }
}
