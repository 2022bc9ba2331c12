package io.pretrain4j.app.archfixture;

import io.pretrain4j.adapters.alpha.archfixture.AlphaAdapter;

/** Violates "apps never import adapters". */
public final class AppImportingAdapter {
    public AlphaAdapter adapter() {
        return new AlphaAdapter();
    }
}
