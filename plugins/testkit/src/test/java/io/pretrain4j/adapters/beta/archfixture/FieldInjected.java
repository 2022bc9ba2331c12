package io.pretrain4j.adapters.beta.archfixture;

import jakarta.inject.Inject;

/** Violates "constructor injection only". */
public final class FieldInjected {
    @Inject
    Object dependency;

    public Object dependency() {
        return dependency;
    }
}
