package io.pretrain4j.plugins.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.spi.Plugin;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a plugin is discovered both on the module path (through {@code provides} in its
 * module-info) and on the class path (through {@code META-INF/services}): a fixture plugin module is
 * compiled here, then two fresh JVMs list what the host finds.
 */
class PluginDiscoveryIT {
    @TempDir
    static Path work;

    private static Path fixture;

    @BeforeAll
    static void compileFixturePlugin() throws IOException {
        Path sources = work.resolve("src");
        Path pkg = Files.createDirectories(sources.resolve("io/pretrain4j/fixture/discovery"));
        Files.writeString(sources.resolve("module-info.java"), """
                module io.pretrain4j.fixture.discovery {
                    requires io.pretrain4j.plugins.host;
                    provides io.pretrain4j.ports.spi.Plugin with io.pretrain4j.fixture.discovery.FixturePlugin;
                }
                """);
        Files.writeString(pkg.resolve("FixturePlugin.java"), """
                package io.pretrain4j.fixture.discovery;

                import io.pretrain4j.domain.scoring.ScoringPolicy;
                import io.pretrain4j.domain.scoring.WandbEraScoringPolicy;
                import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
                import io.pretrain4j.ports.spi.Plugin;
                import java.util.List;
                import java.util.Map;

                public final class FixturePlugin implements Plugin {
                    @Override
                    public String name() {
                        return "fixture";
                    }

                    @Override
                    public List<ScoringPolicyFactory> scoringPolicyFactories() {
                        return List.of(new ScoringPolicyFactory() {
                            public String name() { return "fixture-policy"; }
                            public ScoringPolicy create(Map<String, String> config) { return new WandbEraScoringPolicy(); }
                        });
                    }
                }
                """);
        Files.writeString(pkg.resolve("ListPlugins.java"), """
                package io.pretrain4j.fixture.discovery;

                import io.pretrain4j.plugins.host.FactoryKind;
                import io.pretrain4j.plugins.host.LoadedPlugin;
                import io.pretrain4j.plugins.host.PluginHost;
                import io.pretrain4j.plugins.host.PluginRegistry;

                public final class ListPlugins {
                    public static void main(String[] args) {
                        PluginRegistry registry = PluginHost.discover(ListPlugins.class.getClassLoader());
                        for (LoadedPlugin plugin : registry.plugins()) {
                            System.out.println("plugin " + plugin.name() + " from " + plugin.origin());
                        }
                        System.out.println("policies " + registry.names(FactoryKind.SCORING_POLICY));
                        System.out.println("problems " + registry.problems());
                    }
                }
                """);
        fixture = Files.createDirectories(work.resolve("fixture"));
        Path services = Files.createDirectories(fixture.resolve("META-INF/services"));
        Files.writeString(services.resolve(Plugin.class.getName()), "io.pretrain4j.fixture.discovery.FixturePlugin\n");

        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        List<String> args =
                new ArrayList<>(List.of("--release", "21", "-d", fixture.toString(), "--module-path", modulePath()));
        try (var files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        int status = javac.run(System.out, System.err, args.toArray(String[]::new));
        assertThat(status).as("fixture plugin compiles").isZero();
    }

    @Test
    void discoversThePluginOnTheModulePath() throws Exception {
        String out = run(List.of(
                "--module-path",
                modulePath() + java.io.File.pathSeparator + fixture,
                "-m",
                "io.pretrain4j.fixture.discovery/io.pretrain4j.fixture.discovery.ListPlugins"));
        assertThat(out)
                .contains("plugin fixture from module io.pretrain4j.fixture.discovery")
                .contains("plugin builtin from module io.pretrain4j.plugins.host")
                .contains("policies [fixture-policy, reference, wandb-era]")
                .contains("problems []");
    }

    @Test
    void discoversThePluginOnTheClassPath() throws Exception {
        String out = run(List.of(
                "-cp",
                modulePath() + java.io.File.pathSeparator + fixture,
                "io.pretrain4j.fixture.discovery.ListPlugins"));
        assertThat(out)
                .contains("plugin fixture from class path")
                .contains("plugin builtin from class path")
                .contains("policies [fixture-policy, reference, wandb-era]")
                .contains("problems []");
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    /** The domain, ports and host as built by Maven: modular jars or class directories. */
    private static String modulePath() {
        return String.join(
                java.io.File.pathSeparator,
                location(ModelId.class),
                location(Plugin.class),
                location(PluginHost.class));
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
