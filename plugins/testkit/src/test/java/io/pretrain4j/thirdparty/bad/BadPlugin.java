package io.pretrain4j.thirdparty.bad;

import io.pretrain4j.app.archfixture.AppLauncher;
import io.pretrain4j.ports.spi.Plugin;

/** A third-party plugin that reaches into an app class. */
public final class BadPlugin implements Plugin {
    public Class<?> launcher() {
        return AppLauncher.class;
    }
}
