package io.pretrain4j.launcher;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.plugins.host.PluginHost;
import io.pretrain4j.plugins.host.PluginRegistry;

import java.nio.file.Path;
import java.util.Optional;

/** Loads configuration, discovers plugins and builds the injector, as airlift's Bootstrap does. */
public final class Bootstrap {
    private Bootstrap() {}

    /** The production injector for an optional config file. */
    public static Injector injector(Optional<Path> configFile) {
        ValidatorConfig config = ValidatorConfig.load(configFile, System.getenv());
        PluginRegistry registry = PluginHost.discover(Bootstrap.class.getClassLoader(), config.pluginsDir().map(Path::of));
        return Guice.createInjector(Stage.PRODUCTION, binder -> {
            binder.disableCircularProxies();
            binder.requireExplicitBindings();
            binder.install(new LauncherModule(config, registry));
        });
    }
}
