package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.timelock.Quicknet;
import io.pretrain4j.crypto.timelock.TimelockEncryption;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code subtensor} chain's settings, read once from its keys: {@code endpoint} (the launchers pass
 * {@code $BT_SUBTENSOR_CHAIN_ENDPOINT}; finney is {@code wss://entrypoint-finney.opentensor.ai:443}),
 * {@code netuid}, {@code timeout} (per request), {@code connect-attempts}, {@code era-period} (blocks, a power
 * of two), {@code inclusion-timeout}; for subnets with commit-reveal weights {@code commit-reveal}
 * ({@code auto}: what the runtime asks for, drand-timelocked commits; {@code hash}: hash commits this
 * validator reveals), {@code state-dir} (where pending commits are kept across restarts; the validator passes
 * its own state directory + {@code /subtensor}), {@code reveal-poll} and {@code drand-key} (the drand group key
 * timelocked commits are encrypted to, in hex; {@code quicknet}, the default, is the beacon every subtensor
 * network follows; set it only for a test network with its own beacon). The defaults are {@link #DEFAULTS}.
 *
 * @param endpoint the node's WebSocket URL
 * @param netuid the subnet
 * @param timeout per request
 * @param connectAttempts tries to connect
 * @param eraPeriod blocks a signed extrinsic stays valid
 * @param inclusionTimeout how long an extrinsic may take to land
 * @param hashCommits whether weights are hash-committed (else timelocked, as the chain asks)
 * @param stateDir where pending commits are kept, when given
 * @param revealPoll how often the reveal thread looks at the head
 * @param drandKey the beacon's group key
 */
public record SubtensorConfig(
        URI endpoint,
        int netuid,
        Duration timeout,
        int connectAttempts,
        int eraPeriod,
        Duration inclusionTimeout,
        boolean hashCommits,
        Optional<Path> stateDir,
        Duration revealPoll,
        byte[] drandKey) {
    /** Every default, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            "endpoint", "ws://127.0.0.1:9944",
            "netuid", "9",
            "timeout", "30s",
            "connect-attempts", "4",
            "era-period", "64",
            "inclusion-timeout", "120s",
            "commit-reveal", "auto",
            "reveal-poll", "12s",
            "drand-key", "quicknet");

    private static final Set<String> KEYS = Set.of(
            "endpoint",
            "netuid",
            "timeout",
            "connect-attempts",
            "era-period",
            "inclusion-timeout",
            "commit-reveal",
            "state-dir",
            "reveal-poll",
            "drand-key");

    public SubtensorConfig {
        drandKey = drandKey.clone();
    }

    @Override
    public byte[] drandKey() {
        return drandKey.clone();
    }

    /** Whether the beacon is quicknet, the one every real subtensor network follows. */
    public boolean quicknet() {
        return HexFormat.of().formatHex(drandKey).equals(Quicknet.PUBLIC_KEY);
    }

    /** The file pending commits of this subnet are kept in, when there is a state directory. */
    public Optional<Path> commitsFile() {
        return stateDir.map(dir -> dir.resolve("weight-commits-netuid-" + netuid + ".json"));
    }

    /** Reads and checks {@code values}, listing every problem at once. */
    public static SubtensorConfig from(Map<String, String> values) {
        FactoryConfig config = new FactoryConfig(SubtensorChainFactory.NAME, values, DEFAULTS, KEYS);
        String endpointText = config.string("endpoint");
        int netuid = (int) config.integer("netuid", 0, 65535);
        Duration timeout = config.duration("timeout", Duration.ofMillis(100), Duration.ofMinutes(10));
        int attempts = (int) config.integer("connect-attempts", 1, 100);
        int era = (int) config.integer("era-period", 4, 65536);
        if (Integer.bitCount(era) != 1) {
            config.problem("era-period " + era + " must be a power of two");
        }
        Duration inclusion = config.duration("inclusion-timeout", Duration.ofSeconds(1), Duration.ofHours(1));
        String mode = config.string("commit-reveal");
        if (!mode.equals("auto") && !mode.equals("hash")) {
            config.problem(
                    "commit-reveal '" + mode + "' must be auto (timelocked commits, what the chain asks for) or hash");
        }
        // hash without a state-dir is refused when weights are committed (CommitReveal.commitHash), not here: the
        // miner and the chain commands open the same chain section and never commit weights
        Optional<Path> stateDir = config.optional("state-dir").map(Path::of);
        Duration poll = config.duration("reveal-poll", Duration.ofMillis(50), Duration.ofMinutes(10));
        String drandText = config.string("drand-key").toLowerCase(Locale.ROOT);
        String drandKey = drandText.equals("quicknet") ? Quicknet.PUBLIC_KEY : drandText;
        byte[] key = new byte[0];
        try {
            key = HexFormat.of().parseHex(drandKey);
            TimelockEncryption.checkBeaconKey(key);
        } catch (IllegalArgumentException e) {
            config.problem("drand-key is not a drand group key: " + e.getMessage());
        }
        URI endpoint = null;
        try {
            endpoint = URI.create(endpointText);
            if (endpoint.getScheme() == null
                    || !(endpoint.getScheme().equals("ws")
                            || endpoint.getScheme().equals("wss"))) {
                config.problem("endpoint '" + endpointText + "' must be a ws:// or wss:// URL");
            }
        } catch (IllegalArgumentException e) {
            config.problem("endpoint '" + endpointText + "' is not a URL: " + e.getMessage());
        }
        config.done();
        return new SubtensorConfig(
                endpoint, netuid, timeout, attempts, era, inclusion, mode.equals("hash"), stateDir, poll, key);
    }
}
