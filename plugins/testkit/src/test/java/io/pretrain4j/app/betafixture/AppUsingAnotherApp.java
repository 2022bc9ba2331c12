package io.pretrain4j.app.betafixture;

import io.pretrain4j.app.alphafixture.AlphaApp;

/** Violates "apps are independent": reaches into another app instead of the launcher. */
public final class AppUsingAnotherApp {
    public String borrowed() {
        return new AlphaApp().name();
    }
}
