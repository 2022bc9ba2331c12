package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.ports.FactoryConfig;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code subtensor} chains. Keys: {@code endpoint} (default: the launchers pass {@code $BT_SUBTENSOR_CHAIN_ENDPOINT}
 * or {@code ws://127.0.0.1:9944}; finney is {@code wss://entrypoint-finney.opentensor.ai:443}),
 * {@code netuid} (9), {@code timeout} (30s per request), {@code connect-attempts} (4),
 * {@code era-period} (64 blocks), {@code inclusion-timeout} (120s).
 */
public final class SubtensorChainFactory implements ChainFactory {
    /** The factory name. */
    public static final String NAME = "subtensor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Chain create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, Set.of("endpoint", "netuid", "timeout", "connect-attempts", "era-period",
                "inclusion-timeout"));
        String endpoint = settings.string("endpoint", "ws://127.0.0.1:9944");
        int netuid = (int) settings.integer("netuid", 9, 0, 65535);
        Duration timeout = settings.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10));
        int attempts = (int) settings.integer("connect-attempts", 4, 1, 100);
        int era = (int) settings.integer("era-period", 64, 4, 65536);
        if (Integer.bitCount(era) != 1) {
            settings.problem("era-period " + era + " must be a power of two");
        }
        Duration inclusion = settings.duration("inclusion-timeout", Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofHours(1));
        URI uri = null;
        try {
            uri = URI.create(endpoint);
            if (uri.getScheme() == null || !(uri.getScheme().equals("ws") || uri.getScheme().equals("wss"))) {
                settings.problem("endpoint '" + endpoint + "' must be a ws:// or wss:// URL");
            }
        } catch (IllegalArgumentException e) {
            settings.problem("endpoint '" + endpoint + "' is not a URL: " + e.getMessage());
        }
        settings.done();
        return new SubtensorChain(new JsonRpcClient(uri, timeout, attempts), netuid, era, inclusion);
    }
}
