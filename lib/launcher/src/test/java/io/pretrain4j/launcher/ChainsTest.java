package io.pretrain4j.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.launcher.config.ChainConfig;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainsTest {
    /**
     * Only the app that names a state directory (the validator) gives the subtensor chain one; the miner never loads
     * the validator's commits.
     */
    @Test
    void theSubtensorChainKeepsItsStateBelowTheValidatorsOnly() {
        List<Map<String, String>> created = new ArrayList<>();
        Chains subtensor = chains("subtensor", Map.of("endpoint", "ws://127.0.0.1:9"), created);
        subtensor.chain(Path.of("/srv/vali-state"));
        subtensor.chain();
        assertThat(created)
                .containsExactly(
                        Map.of("endpoint", "ws://127.0.0.1:9", "state-dir", "/srv/vali-state/subtensor"),
                        Map.of("endpoint", "ws://127.0.0.1:9"));

        created.clear();
        chains("subtensor", Map.of("state-dir", "/elsewhere"), created).chain(Path.of("/srv/vali-state"));
        assertThat(created).as("the chain's own section wins").containsExactly(Map.of("state-dir", "/elsewhere"));

        created.clear();
        chains("local", Map.of("dir", "c"), created).chain(Path.of("/srv/vali-state"));
        assertThat(created).as("other chains get no key they do not know").containsExactly(Map.of("dir", "c"));
    }

    @Test
    void anUnknownChainNamesWhatThereIs() {
        assertThatThrownBy(() -> chains("subtensr", Map.of(), new ArrayList<>()).chain())
                .isInstanceOf(Pretrain4jException.class)
                .matches(e -> ((Pretrain4jException) e).errorCode() == PortErrorCode.UNKNOWN_FACTORY)
                .hasMessage("No chain is called 'subtensr'; available: [local, subtensor]. Did you mean 'subtensor'?");
    }

    private static Chains chains(String backend, Map<String, String> keys, List<Map<String, String>> created) {
        LauncherConfig shipped = LauncherConfig.load(Optional.empty(), Map.of());
        LauncherConfig config = new LauncherConfig(
                shipped.scoringPolicy(),
                shipped.policyConfig(),
                shipped.schedule(),
                shipped.inferenceBackend(),
                shipped.inferenceConfig(),
                shipped.data(),
                shipped.store(),
                new ChainConfig(backend, keys, "bittensor", Map.of()),
                shipped.pluginsDir(),
                shipped.runLog());
        return new Chains(
                config,
                Map.of("local", recording("local", created), "subtensor", recording("subtensor", created)),
                Map.of());
    }

    private static ChainFactory recording(String name, List<Map<String, String>> created) {
        return new ChainFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Chain create(Map<String, String> config) {
                created.add(Map.copyOf(config));
                return (Chain) Proxy.newProxyInstance(
                        Chain.class.getClassLoader(), new Class<?>[] {Chain.class}, (proxy, method, args) -> null);
            }
        };
    }
}
