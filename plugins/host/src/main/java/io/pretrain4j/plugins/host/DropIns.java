package io.pretrain4j.plugins.host;

import io.pretrain4j.ports.spi.Plugin;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drop-in plugins: each {@code *.jar} in the plugins directory, and each folder of jars, is a unit
 * with its own module layer (host on the module path, jars all modular) or its own class loader
 * (otherwise; the jars then need {@code META-INF/services}). Before anything is loaded, the unit's
 * classes are checked to refer to no package of pretrain4j's apps, launcher, adapters or plugin host: a plugin
 * talks to pretrain4j through the ports and the domain only.
 */
final class DropIns {
    private static final System.Logger LOG = System.getLogger(DropIns.class.getName());
    private static final List<String> FORBIDDEN = List.of(
            "io/pretrain4j/app/", "io/pretrain4j/launcher/", "io/pretrain4j/adapters/", "io/pretrain4j/plugins/host/");

    private DropIns() {}

    static void load(Path dir, ClassLoader parent, PluginRegistry.Builder builder) {
        if (!Files.isDirectory(dir)) {
            LOG.log(System.Logger.Level.DEBUG, "no plugins directory at {0}", dir);
            return;
        }
        List<Path> entries;
        try (Stream<Path> listing = Files.list(dir)) {
            entries = listing.sorted().toList();
        } catch (IOException e) {
            builder.problem("Cannot list the plugins directory " + dir + ": " + e.getMessage());
            return;
        }
        for (Path entry : entries) {
            List<Path> jars = jars(entry);
            if (jars.isEmpty()) {
                continue;
            }
            String unit = dir.relativize(entry).toString();
            try {
                Optional<String> violation = violation(jars);
                if (violation.isPresent()) {
                    builder.problem("Drop-in plugin " + unit + " refused: " + violation.get()
                            + "; a plugin may use io.pretrain4j.ports and io.pretrain4j.domain only");
                    continue;
                }
                loadUnit(unit, jars, parent, builder);
            } catch (IOException | RuntimeException | LinkageError e) {
                builder.problem("Drop-in plugin " + unit + " failed to load: " + PluginHost.describe(e));
            }
        }
    }

    private static List<Path> jars(Path entry) {
        if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
            return List.of(entry);
        }
        if (Files.isDirectory(entry)) {
            try (Stream<Path> listing = Files.list(entry)) {
                return listing.filter(p -> Files.isRegularFile(p)
                                && p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                return List.of();
            }
        }
        return List.of();
    }

    private static void loadUnit(String unit, List<Path> jars, ClassLoader parent, PluginRegistry.Builder builder)
            throws IOException {
        Module host = Plugin.class.getModule();
        ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
        Set<ModuleReference> modules = finder.findAll();
        boolean modular = host.isNamed()
                && host.getLayer() != null
                && !modules.isEmpty()
                && modules.stream().allMatch(m -> !m.descriptor().isAutomatic());
        int found;
        if (modular) {
            ModuleLayer parentLayer = host.getLayer();
            Set<String> roots = modules.stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
            Configuration configuration = parentLayer.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            ModuleLayer layer = parentLayer.defineModulesWithOneLoader(configuration, parent);
            found = PluginHost.registerInto(
                    builder,
                    ServiceLoader.load(layer, Plugin.class).stream()
                            .filter(provider -> provider.type().getModule().getLayer() == layer)
                            .map(ServiceLoader.Provider::get)
                            .iterator(),
                    "drop-in " + unit,
                    Optional.of("drop-in " + unit + " (module layer: " + String.join(", ", roots) + ")"));
        } else {
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = url(jars.get(i));
            }
            URLClassLoader loader = new URLClassLoader("plugin " + unit, urls, parent);
            ServiceLoader<Plugin> services = ServiceLoader.load(Plugin.class, loader);
            found = PluginHost.registerInto(
                    builder,
                    services.stream()
                            .filter(provider -> provider.type().getClassLoader() == loader)
                            .map(ServiceLoader.Provider::get)
                            .iterator(),
                    "drop-in " + unit,
                    Optional.of("drop-in " + unit + " (class loader)"));
        }
        if (found == 0) {
            builder.problem(
                    "Drop-in plugin " + unit + " declares no io.pretrain4j.ports.spi.Plugin (module-info 'provides' or "
                            + "META-INF/services/io.pretrain4j.ports.spi.Plugin)");
        }
    }

    /** The first reference from a class of {@code jars} to a package a plugin must not use. */
    static Optional<String> violation(List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.getName().endsWith(".class") || entry.getName().endsWith("module-info.class")) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = file.getInputStream(entry)) {
                        bytes = in.readAllBytes();
                    }
                    // class names in the constant pool are stored as UTF-8 text
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    for (String forbidden : FORBIDDEN) {
                        int at = text.indexOf(forbidden);
                        if (at >= 0) {
                            int end = at;
                            while (end < text.length()
                                    && (Character.isJavaIdentifierPart(text.charAt(end)) || text.charAt(end) == '/')) {
                                end++;
                            }
                            return Optional.of(entry.getName().replace('/', '.').replaceAll("\\.class$", "")
                                    + " refers to " + text.substring(at, end).replace('/', '.'));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar + " is not a valid URL", e);
        }
    }
}
