package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.timelock.Quicknet;
import io.pretrain4j.crypto.timelock.TimelockEncryption;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code subtensor} chains. Keys: {@code endpoint} (default: the launchers pass {@code $BT_SUBTENSOR_CHAIN_ENDPOINT}
 * or {@code ws://127.0.0.1:9944}; finney is {@code wss://entrypoint-finney.opentensor.ai:443}),
 * {@code netuid} (9), {@code timeout} (30s per request), {@code connect-attempts} (4),
 * {@code era-period} (64 blocks), {@code inclusion-timeout} (120s); for subnets with commit-reveal weights
 * {@code commit-reveal} ({@code auto}: what the runtime asks for, drand-timelocked commits; {@code hash}: hash
 * commits this validator reveals), {@code state-dir} (where pending commits are kept across restarts; the
 * validator passes its own state directory + {@code /subtensor}), {@code reveal-poll} (12s) and {@code drand-key} (the
 * drand group key timelocked commits are encrypted to: quicknet's, which every subtensor network follows; set it only
 * for a test network with its own beacon).
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
        FactoryConfig settings = new FactoryConfig(
                NAME,
                config,
                Set.of(
                        "endpoint",
                        "netuid",
                        "timeout",
                        "connect-attempts",
                        "era-period",
                        "inclusion-timeout",
                        "commit-reveal",
                        "state-dir",
                        "reveal-poll",
                        "drand-key"));
        String endpoint = settings.string("endpoint", "ws://127.0.0.1:9944");
        int netuid = (int) settings.integer("netuid", 9, 0, 65535);
        Duration timeout =
                settings.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10));
        int attempts = (int) settings.integer("connect-attempts", 4, 1, 100);
        int era = (int) settings.integer("era-period", 64, 4, 65536);
        if (Integer.bitCount(era) != 1) {
            settings.problem("era-period " + era + " must be a power of two");
        }
        Duration inclusion = settings.duration(
                "inclusion-timeout", Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofHours(1));
        String mode = settings.string("commit-reveal", "auto");
        if (!mode.equals("auto") && !mode.equals("hash")) {
            settings.problem(
                    "commit-reveal '" + mode + "' must be auto (timelocked commits, what the chain asks for) or hash");
        }
        String stateDir = settings.string("state-dir", "");
        Duration poll =
                settings.duration("reveal-poll", Duration.ofSeconds(12), Duration.ofMillis(50), Duration.ofMinutes(10));
        // hash without a state-dir is refused when weights are committed (CommitReveal.commitHash), not here: the miner
        // and the
        // chain commands open the same chain section and never commit weights
        String drandKey = settings.string("drand-key", Quicknet.PUBLIC_KEY).toLowerCase(Locale.ROOT);
        try {
            TimelockEncryption.checkBeaconKey(HexFormat.of().parseHex(drandKey));
        } catch (IllegalArgumentException e) {
            settings.problem("drand-key is not a drand group key: " + e.getMessage());
        }
        URI uri = null;
        try {
            uri = URI.create(endpoint);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("ws") || uri.getScheme().equals("wss"))) {
                settings.problem("endpoint '" + endpoint + "' must be a ws:// or wss:// URL");
            }
        } catch (IllegalArgumentException e) {
            settings.problem("endpoint '" + endpoint + "' is not a URL: " + e.getMessage());
        }
        settings.done();
        Path stateFile = stateDir.isBlank() ? null : Path.of(stateDir, "weight-commits-netuid-" + netuid + ".json");
        if (!drandKey.equals(Quicknet.PUBLIC_KEY)) {
            System.getLogger(SubtensorChainFactory.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "drand-key is not quicknet''s: timelocked "
                                    + "weight commits are encrypted to a beacon no real subtensor network follows (a test network only)");
        }
        CommitReveal.Settings commitReveal = new CommitReveal.Settings(
                mode.equals("hash") ? CommitReveal.Mode.HASH : CommitReveal.Mode.AUTO,
                stateFile,
                () -> System.currentTimeMillis() / 1000.0,
                HexFormat.of().parseHex(drandKey),
                new SecureRandom());
        return new SubtensorChain(
                new JsonRpcClient(uri, timeout, attempts), netuid, era, inclusion, commitReveal, poll);
    }
}
