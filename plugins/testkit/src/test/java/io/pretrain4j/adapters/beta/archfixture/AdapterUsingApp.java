package io.pretrain4j.adapters.beta.archfixture;

import io.pretrain4j.app.archfixture.AppLauncher;

/** Violates "adapters never depend on apps". */
public final class AdapterUsingApp {
    public Class<?> app() {
        return AppLauncher.class;
    }
}
