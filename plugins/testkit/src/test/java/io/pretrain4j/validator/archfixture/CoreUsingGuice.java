package io.pretrain4j.validator.archfixture;

import com.google.inject.Injector;

/** Violates "the validator core is framework-free": it looks its collaborators up in an injector. */
public final class CoreUsingGuice {
    private final Injector injector;

    public CoreUsingGuice(Injector injector) {
        this.injector = injector;
    }

    public Object step() {
        return injector.getInstance(Object.class);
    }
}
