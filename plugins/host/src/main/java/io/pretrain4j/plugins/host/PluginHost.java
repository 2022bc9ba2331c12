package io.pretrain4j.plugins.host;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.NamedFactory;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.spi.Plugin;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Discovers plugins with {@link ServiceLoader}, on the module path ({@code provides}) and on the
 * class path ({@code META-INF/services}) alike, and registers their factories. A plugin that fails
 * to load, speaks another SPI version, throws while listing its factories, or reuses a name already
 * taken is refused with a problem naming it; the other plugins are registered regardless.
 */
public final class PluginHost {
    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());

    private PluginHost() {}

    /** Plugins visible to {@code loader}: named modules in its layers and its class path. */
    public static PluginRegistry discover(ClassLoader loader) {
        return register(ServiceLoader.load(Plugin.class, loader).iterator(), "class loader " + loader.getName());
    }

    /**
     * Plugins visible to {@code loader}, then the drop-in plugins under {@code dropIns}: each
     * {@code *.jar} there, and each folder of jars, is one plugin, loaded into its own module layer
     * (when the host runs on the module path and the jars are modules) or its own class loader, and
     * refused with a problem naming it when it reaches into pretrain4j's apps, launcher, adapters or plugin host,
     * fails to load, speaks another SPI version or reuses a taken name. The others load regardless.
     */
    public static PluginRegistry discover(ClassLoader loader, Optional<Path> dropIns) {
        PluginRegistry.Builder builder = PluginRegistry.builder();
        registerInto(
                builder,
                ServiceLoader.load(Plugin.class, loader).iterator(),
                "class loader " + loader.getName(),
                Optional.empty());
        dropIns.ifPresent(dir -> DropIns.load(dir, loader, builder));
        return finish(builder);
    }

    /** Plugins provided by the modules of {@code layer} and its parents. */
    public static PluginRegistry discover(ModuleLayer layer) {
        return register(ServiceLoader.load(layer, Plugin.class).iterator(), "module layer");
    }

    /** Registers the given plugins, in order (the first to take a name keeps it). */
    public static PluginRegistry register(List<Plugin> plugins) {
        return register(plugins.iterator(), "list");
    }

    private static PluginRegistry register(Iterator<Plugin> iterator, String source) {
        PluginRegistry.Builder builder = PluginRegistry.builder();
        registerInto(builder, iterator, source, Optional.empty());
        return finish(builder);
    }

    private static PluginRegistry finish(PluginRegistry.Builder builder) {
        PluginRegistry registry = builder.build();
        registry.problems().forEach(problem -> LOG.log(Level.WARNING, problem));
        LOG.log(Level.DEBUG, () -> "Registered plugins: " + registry.plugins());
        return registry;
    }

    /**
     * Registers what {@code iterator} yields; {@code origin} overrides where the plugins are said to
     * come from. Returns how many plugins were found, those that failed included.
     */
    static int registerInto(
            PluginRegistry.Builder builder, Iterator<Plugin> iterator, String source, Optional<String> origin) {
        int count = 0;
        while (true) {
            Plugin plugin;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                plugin = iterator.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                count++;
                builder.problem("A plugin from " + source + " failed to load: " + describe(e));
                if (e instanceof LinkageError) {
                    break; // the service iterator cannot go on after a linkage failure
                }
                continue;
            }
            accept(builder, plugin, origin);
            count++;
        }
        return count;
    }

    private static void accept(PluginRegistry.Builder builder, Plugin plugin, Optional<String> origin) {
        String className = plugin.getClass().getName();
        String label;
        Map<FactoryKind<?>, List<NamedFactory<?>>> contributed = new LinkedHashMap<>();
        try {
            label = plugin.name() + " (" + className + ")";
            if (plugin.spiVersion() != Plugin.SPI_VERSION) {
                builder.problem("Plugin " + label + " was built for SPI version " + plugin.spiVersion()
                        + "; this host speaks version " + Plugin.SPI_VERSION + ". Rebuild it against this release.");
                return;
            }
            for (FactoryKind<?> kind : FactoryKind.ALL) {
                contributed.put(kind, List.copyOf(kind.lister().apply(plugin)));
            }
        } catch (RuntimeException | LinkageError e) {
            builder.problem("Plugin " + className + " failed while listing its factories: " + describe(e));
            return;
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (Map.Entry<FactoryKind<?>, List<NamedFactory<?>>> entry : contributed.entrySet()) {
            List<String> accepted = new ArrayList<>();
            for (NamedFactory<?> factory : entry.getValue()) {
                try {
                    builder.add(entry.getKey(), factory, label);
                    accepted.add(factory.name());
                } catch (Pretrain4jException e) {
                    builder.problem(e.getMessage());
                }
            }
            if (!accepted.isEmpty()) {
                names.put(entry.getKey().label(), accepted);
            }
        }
        builder.plugin(
                new LoadedPlugin(plugin.name(), className, origin.orElseGet(() -> origin(plugin.getClass())), names));
    }

    private static String origin(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed()) {
            return "module " + module.getName();
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "class path" : "class path " + source.getLocation();
    }

    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            out.append("; caused by ").append(cause);
        }
        return out.toString();
    }

    /** Raised when a factory name is taken; see {@link PortErrorCode#DUPLICATE_FACTORY}. */
    static Pretrain4jException duplicate(FactoryKind<?> kind, String name, String owner, String newcomer) {
        return new Pretrain4jException(
                PortErrorCode.DUPLICATE_FACTORY,
                "Plugin " + newcomer + " offers " + kind.label() + " '" + name + "', which " + owner
                        + " already offers; the later one is ignored");
    }
}
