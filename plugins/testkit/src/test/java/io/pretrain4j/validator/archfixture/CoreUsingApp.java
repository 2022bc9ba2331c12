package io.pretrain4j.validator.archfixture;

import io.pretrain4j.app.archfixture.AppLauncher;

/** Violates "the validator core is framework-free": it reaches into an app. */
public final class CoreUsingApp {
    private CoreUsingApp() {}

    public static String launcher() {
        return AppLauncher.class.getName();
    }
}
