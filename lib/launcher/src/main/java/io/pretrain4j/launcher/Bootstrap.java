package io.pretrain4j.launcher;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.pretrain4j.launcher.config.AppSection;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.PluginHost;
import io.pretrain4j.plugins.host.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads configuration, discovers plugins and builds the process's one injector, as airlift's
 * Bootstrap does: {@link Stage#PRODUCTION}, explicit bindings only, no circular proxies. The launcher's
 * modules bind the configuration, the plugin registry, a map of factories per kind and what is
 * chosen from them; an app adds its own section's settings and modules.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** The injector of a command that needs only the shared sections, for an optional config file. */
    public static Injector injector(Optional<Path> configFile) {
        LauncherConfig config = LauncherConfig.load(configFile, System.getenv());
        return injector(config, List.of());
    }

    /**
     * The injector of an app's command: the shared sections and {@code app}'s section (bound as its
     * settings record), read in one pass that lists every problem, then {@code modules}.
     */
    public static <T> Injector injector(Optional<Path> configFile, AppSection<T> app, Module... modules) {
        LauncherConfig.Loaded<T> loaded = LauncherConfig.load(configFile, System.getenv(), app);
        List<Module> all = new ArrayList<>();
        all.add(binder -> binder.bind(app.type()).toInstance(loaded.app()));
        all.addAll(List.of(modules));
        return injector(loaded.launcher(), all);
    }

    /** {@code app}'s settings alone, the whole configuration checked, nothing discovered or wired (e.g. to find a state directory). */
    public static <T> T settings(Optional<Path> configFile, AppSection<T> app) {
        return LauncherConfig.load(configFile, System.getenv(), app).app();
    }

    private static Injector injector(LauncherConfig config, List<Module> modules) {
        PluginRegistry registry = PluginHost.discover(
                Bootstrap.class.getClassLoader(), config.pluginsDir().map(Path::of));
        return Guice.createInjector(Stage.PRODUCTION, binder -> {
            binder.disableCircularProxies();
            binder.requireExplicitBindings();
            binder.install(new LauncherModule(config, registry));
            modules.forEach(binder::install);
        });
    }
}
