package io.pretrain4j.app.validator.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.ports.spi.Plugin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/** Builds plugin jars for the drop-in tests: the example plugin from its sources, and broken fixtures. */
public final class PluginJars {
    private PluginJars() {}

    /** The example plugin ({@code plugins/example-sn25}), compiled from its sources as a modular jar. */
    public static Path example(Path work) throws IOException {
        Path project = projectRoot().resolve("plugins/example-sn25/src/main");
        Path classes = Files.createDirectories(work.resolve("example-classes"));
        List<String> args =
                new ArrayList<>(List.of("--release", "21", "-d", classes.toString(), "--module-path", hostJars()));
        try (Stream<Path> files = Files.walk(project.resolve("java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        compile(args);
        copyTree(project.resolve("resources"), classes);
        return jar(classes, work.resolve("sn25.jar"));
    }

    /** A non-modular fixture plugin: {@code sources} maps class names to their source; it declares {@code plugin}. */
    public static Path fixture(Path work, String name, String plugin, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(work.resolve(name + "-src"));
        Path classes = Files.createDirectories(work.resolve(name + "-classes"));
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "21",
                "-d",
                classes.toString(),
                "-cp",
                hostJars() + File.pathSeparator + location(Bootstrap.class)));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        compile(args);
        if (plugin != null) {
            Path services = Files.createDirectories(classes.resolve("META-INF/services"));
            Files.writeString(services.resolve(Plugin.class.getName()), plugin + "\n");
        }
        return jar(classes, work.resolve(name + ".jar"));
    }

    private static void compile(List<String> args) {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        assertThat(javac.run(System.out, System.err, args.toArray(String[]::new)))
                .as("javac " + args)
                .isZero();
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream raw = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(raw);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    /** The domain and the ports, as built by Maven. */
    static String hostJars() {
        return location(ModelId.class) + File.pathSeparator + location(Plugin.class);
    }

    static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("plugins/example-sn25")) ? here : here.getParent();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
