package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.NamedFactory;
import java.util.Map;

/**
 * One {@link MapBinder} per factory kind: every factory the plugin host registered, built-in or
 * drop-in, bound by its name, so that the rest of the graph asks for {@code Map<String, ChainFactory>}
 * and so on instead of reaching into the registry.
 */
final class FactoriesModule extends AbstractModule {
    private final PluginRegistry registry;

    FactoriesModule(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    protected void configure() {
        bind(PluginRegistry.class).toInstance(registry);
        FactoryKind.ALL.forEach(this::bindKind);
    }

    private <F extends NamedFactory<?>> void bindKind(FactoryKind<F> kind) {
        MapBinder<String, F> byName = MapBinder.newMapBinder(binder(), String.class, kind.type());
        for (String name : registry.names(kind)) {
            byName.addBinding(name).toInstance(registry.factory(kind, name));
        }
    }

    /** The factory of {@code kind} called {@code name} in {@code byName}, or the registry's error naming what there is. */
    static <F> F choose(FactoryKind<?> kind, Map<String, F> byName, String name) {
        F factory = byName.get(name);
        if (factory == null) {
            throw PluginRegistry.unknownFactory(kind, name, byName.keySet());
        }
        return factory;
    }
}
