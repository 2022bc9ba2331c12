package io.pretrain4j.app.validator.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.LoadedPlugin;
import io.pretrain4j.plugins.host.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin, built from its sources, dropped into a plugins directory beside broken plugins,
 * then the validator wiring: the example is used by its configured name, every broken plugin is
 * refused with its reason, and the host carries on.
 */
class DropInPluginIT {
    private static final String PLUGIN_HEADER = """
            import io.pretrain4j.domain.scoring.ScoringPolicy;
            import io.pretrain4j.domain.scoring.WandbEraScoringPolicy;
            import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
            import io.pretrain4j.ports.spi.Plugin;
            import java.util.List;
            import java.util.Map;
            """;

    @TempDir
    Path work;

    @Test
    void theExamplePluginIsUsedByItsConfiguredNameAndBrokenOnesAreReported() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(PluginJars.example(work), plugins.resolve("sn25.jar"));
        Files.copy(
                PluginJars.fixture(
                        work,
                        "wrong-spi",
                        "bad.WrongSpi",
                        Map.of("bad.WrongSpi", "package bad;\n" + PLUGIN_HEADER + """
                public final class WrongSpi implements Plugin {
                    public int spiVersion() { return 99; }
                    public String name() { return "wrong-spi"; }
                }
                """)),
                plugins.resolve("wrong-spi.jar"));
        Files.copy(
                PluginJars.fixture(
                        work,
                        "throwing",
                        "bad.Throwing",
                        Map.of("bad.Throwing", "package bad;\n" + PLUGIN_HEADER + """
                public final class Throwing implements Plugin {
                    public Throwing() { throw new IllegalStateException("no licence file found"); }
                }
                """)),
                plugins.resolve("throwing.jar"));
        Files.copy(
                PluginJars.fixture(
                        work,
                        "duplicate",
                        "bad.Duplicate",
                        Map.of("bad.Duplicate", "package bad;\n" + PLUGIN_HEADER + """
                public final class Duplicate implements Plugin {
                    public String name() { return "duplicate"; }
                    public List<ScoringPolicyFactory> scoringPolicyFactories() {
                        return List.of(new ScoringPolicyFactory() {
                            public String name() { return "reference"; }
                            public ScoringPolicy create(Map<String, String> config) { return new WandbEraScoringPolicy(); }
                        });
                    }
                }
                """)),
                plugins.resolve("duplicate.jar"));
        Files.copy(
                PluginJars.fixture(
                        work,
                        "reaches-app",
                        "bad.ReachesApp",
                        Map.of("bad.ReachesApp", "package bad;\n" + PLUGIN_HEADER + """
                public final class ReachesApp implements Plugin {
                    public String name() { return io.pretrain4j.launcher.Bootstrap.class.getName(); }
                }
                """)),
                plugins.resolve("reaches-app.jar"));
        Files.copy(
                PluginJars.fixture(
                        work, "no-plugin", null, Map.of("bad.Helper", "package bad;\npublic final class Helper {}\n")),
                plugins.resolve("no-plugin.jar"));
        Files.writeString(plugins.resolve("README.txt"), "not a jar: ignored");

        Path config = work.resolve("validator.conf");
        Files.writeString(
                config, "pretrain4j.plugins.dir = \"" + plugins + "\"\npretrain4j.scoring.policy = subnet-25\n");
        Injector injector = Bootstrap.injector(Optional.of(config));
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);

        ScoringPolicy policy = injector.getInstance(ScoringPolicy.class);
        assertThat(policy.name()).isEqualTo("subnet-25");
        StepScore step = policy.score(
                ScoringTime.block(10),
                EpsilonSchedule.fixed(0.005),
                List.of(
                        ModelEvaluation.of(1, 3.0, 1),
                        ModelEvaluation.of(2, 3.1, 1),
                        ModelEvaluation.of(3, Double.POSITIVE_INFINITY, 1)));
        assertThat(step.weights()).containsEntry(1, 1.0).containsEntry(2, 1.0).containsEntry(3, 0.1);

        assertThat(registry.plugins())
                .extracting(LoadedPlugin::name)
                .contains("example-sn25", "builtin", "djl", "duplicate");
        assertThat(registry.plugins())
                .filteredOn(p -> p.name().equals("example-sn25"))
                .singleElement()
                .satisfies(p -> assertThat(p.origin()).startsWith("drop-in sn25.jar"));
        assertThat(registry.names(FactoryKind.SCORING_POLICY)).contains("subnet-25", "reference", "wandb-era");
        assertThat(registry.problems())
                .hasSize(5)
                .anySatisfy(problem -> assertThat(problem)
                        .contains("wrong-spi")
                        .contains("SPI version 99")
                        .contains("this host speaks version 1"));
        assertThat(registry.problems())
                .anySatisfy(
                        problem -> assertThat(problem).contains("throwing.jar").contains("no licence file found"));
        assertThat(registry.problems())
                .anySatisfy(problem -> assertThat(problem)
                        .contains("scoring policy 'reference'")
                        .contains("already offers")
                        .contains("the later one is ignored"));
        assertThat(registry.problems())
                .anySatisfy(problem -> assertThat(problem)
                        .contains("reaches-app.jar refused")
                        .contains("bad.ReachesApp refers to io.pretrain4j.launcher.Bootstrap"));
        assertThat(registry.problems())
                .anySatisfy(problem ->
                        assertThat(problem).contains("no-plugin.jar declares no io.pretrain4j.ports.spi.Plugin"));
        // the duplicate's other contributions and every other plugin still count: the host carried on
        assertThat(registry.names(FactoryKind.INFERENCE_BACKEND)).contains("djl-pytorch", "onnx-runtime");
    }
}
