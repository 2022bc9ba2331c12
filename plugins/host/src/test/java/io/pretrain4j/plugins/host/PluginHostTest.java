package io.pretrain4j.plugins.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.domain.scoring.WandbEraScoringPolicy;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginHostTest {
    @Test
    void discoversTheBuiltinPluginOnTheClassPath() {
        PluginRegistry registry = PluginHost.discover(getClass().getClassLoader());
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.plugins()).extracting(LoadedPlugin::name).contains("builtin");
        assertThat(registry.names(FactoryKind.SCORING_POLICY)).contains("reference", "wandb-era");
        ScoringPolicy reference =
                registry.factory(FactoryKind.SCORING_POLICY, "reference").create(Map.of("temperature", "0.02"));
        assertThat(reference).isEqualTo(new ReferenceScoringPolicy(0.02, 0.5));
        assertThat(registry.factory(FactoryKind.SCORING_POLICY, "wandb-era").create(Map.of()))
                .isInstanceOf(WandbEraScoringPolicy.class);
    }

    @Test
    void unknownNamesGetTheListAndASuggestion() {
        PluginRegistry registry = PluginHost.register(List.of(new BuiltinPlugin()));
        assertThatThrownBy(() -> registry.factory(FactoryKind.SCORING_POLICY, "refrence"))
                .isInstanceOfSatisfying(
                        Pretrain4jException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(PortErrorCode.UNKNOWN_FACTORY))
                .hasMessageContaining(
                        "No scoring policy is called 'refrence'; available: [reference, wandb-era]. Did you mean 'reference'?");
    }

    @Test
    void badFactoryConfigIsRefusedWithTheKeysAllowed() {
        ScoringPolicyFactory reference =
                PluginHost.register(List.of(new BuiltinPlugin())).factory(FactoryKind.SCORING_POLICY, "reference");
        assertThatThrownBy(() -> reference.create(Map.of("temprature", "1")))
                .hasMessageContaining("does not take [temprature]; it takes [alpha, temperature]");
        assertThatThrownBy(() -> reference.create(Map.of("alpha", "half")))
                .hasMessageContaining("'alpha' must be a number, got 'half'");
        assertThatThrownBy(() -> reference.create(Map.of("temperature", "-1")))
                .hasMessageContaining("temperature must be positive and finite, got -1.0");
        assertThatThrownBy(() -> reference.create(Map.of("alpha", "1.5")))
                .hasMessageContaining("alpha must be in [0, 1], got 1.5");
    }

    @Test
    void brokenPluginsAreRefusedOneByOneAndTheRestRegister() {
        Plugin future = new Plugin() {
            @Override
            public int spiVersion() {
                return 99;
            }

            @Override
            public String name() {
                return "future";
            }
        };
        Plugin throwing = new Plugin() {
            @Override
            public List<ScoringPolicyFactory> scoringPolicyFactories() {
                throw new IllegalStateException("boom");
            }
        };
        Plugin duplicate = named("copycat", "reference");
        Plugin badName = named("shouty", "Shouty Policy");
        Plugin fine = named("extra", "extra-policy");

        PluginRegistry registry =
                PluginHost.register(List.of(new BuiltinPlugin(), future, throwing, duplicate, badName, fine));

        assertThat(registry.plugins())
                .extracting(LoadedPlugin::name)
                .containsExactly("builtin", "copycat", "shouty", "extra");
        assertThat(registry.names(FactoryKind.SCORING_POLICY))
                .containsExactly("extra-policy", "reference", "wandb-era");
        assertThat(registry.problems()).hasSize(4);
        assertThat(registry.problems().get(0)).contains("future", "SPI version 99", "speaks version 1");
        assertThat(registry.problems().get(1)).contains("failed while listing its factories", "boom");
        assertThat(registry.problems().get(2))
                .contains("offers scoring policy 'reference', which builtin", "already offers");
        assertThat(registry.problems().get(3)).contains("named 'Shouty Policy'", "lower-kebab-case");
        assertThat(registry.factory(FactoryKind.SCORING_POLICY, "reference").create(Map.of()))
                .isEqualTo(ReferenceScoringPolicy.standard());
    }

    private static Plugin named(String pluginName, String factoryName) {
        return new Plugin() {
            @Override
            public String name() {
                return pluginName;
            }

            @Override
            public List<ScoringPolicyFactory> scoringPolicyFactories() {
                return List.of(new ScoringPolicyFactory() {
                    @Override
                    public String name() {
                        return factoryName;
                    }

                    @Override
                    public ScoringPolicy create(Map<String, String> config) {
                        return new WandbEraScoringPolicy();
                    }
                });
            }
        };
    }
}
