package io.pretrain4j.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The validator loop's settings ({@code pretrain4j.validator}); the defaults are the reference's
 * constants (REFERENCE.md sections 1 and 2).
 *
 * @param wallet the wallet holding the validator's hotkey
 * @param hotkey the hotkey's name in the wallet
 * @param stateDir where the state file and the step log live
 * @param versionKey the version key sent with weights ({@code __spec_version__}; 4062 for 4.6.2); a
 *     state written under another version key is not restored, as the reference re-evaluates all
 * @param sampleMin uids kept per competition after a step
 * @param updatedModelsLimit newly synced models allowed in flight before the update pass waits
 * @param chainUpdateCadence how often one uid's commitment is looked at
 * @param modelRetryCadence blocks before a top model is evaluated again
 * @param topModelScanCadence how often the weights of staked validators are scanned for top models
 * @param topModelMinStake stake in TAO a validator needs for its weights to count in the scan
 * @param topModelMinShare share of a validator's weight that makes a uid a top model
 * @param metagraphRefresh how often the metagraph is read again
 * @param weightsInterval time between successful weight settings
 * @param weightsRetry time before a failed weight setting is tried again
 * @param modelTimeLimit per-model limit for loading and evaluating; a model past it scores +inf
 * @param sanityCheck whether to run the reference's 2 x 20-token generation check (a model that fails it scores +inf)
 * @param maxWindows windows kept per task after the seeded shuffle (the reference's 50)
 * @param taskDatasets the configured dataset each task's reference dataset name maps to; key "*" maps every task
 * @param cleanInterval time between model-store cleanings
 * @param cleanGrace how recently a model must have been touched to survive a cleaning
 * @param idleSleep how long to wait when no competition has a model to evaluate
 */
public record LoopConfig(String wallet, String hotkey, String stateDir, long versionKey, int sampleMin, int updatedModelsLimit,
        Duration chainUpdateCadence, long modelRetryCadence, Duration topModelScanCadence, double topModelMinStake,
        double topModelMinShare, Duration metagraphRefresh, Duration weightsInterval, Duration weightsRetry,
        Duration modelTimeLimit, boolean sanityCheck, int maxWindows, Map<String, String> taskDatasets, Duration cleanInterval,
        Duration cleanGrace, Duration idleSleep) {
    /** The keys below {@code pretrain4j.validator} that hold a single value. */
    public static final Set<String> LEAVES = Set.of("wallet", "hotkey", "state-dir", "version-key", "sample-min",
            "updated-models-limit", "chain-update-cadence", "model-retry-cadence", "top-model-scan-cadence", "top-model-min-stake",
            "top-model-min-share", "metagraph-refresh", "weights-interval", "weights-retry", "model-time-limit", "sanity-check",
            "max-windows", "clean-interval", "clean-grace", "idle-sleep");

    /** uids on a subnet (u16). */
    static final int MAX_UIDS = 65536;
    /** Windows per task: the reference keeps 50; a million is far past any machine's patience. */
    static final int MAX_WINDOWS = 1_000_000;
    /** The longest interval a setting may name: ten years is past any cadence; more is an overflow or a typo. */
    static final Duration MAX_DURATION = Duration.ofDays(3650);

    /** What {@code application.conf} ships. */
    public static final LoopConfig SHIPPED = new LoopConfig("default", "default", "model-store/vali-state", 4062, 5, 25,
            Duration.ofMinutes(20), 300, Duration.ofMinutes(30), 50_000, 0.05, Duration.ofMinutes(20), Duration.ofHours(1),
            Duration.ofMinutes(2), Duration.ofSeconds(550), true, 50, Map.of(), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(5));

    public LoopConfig {
        requireNonNull(wallet, "wallet is null");
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(stateDir, "stateDir is null");
        taskDatasets = Map.copyOf(taskDatasets);
    }

    /** The configured dataset name for a task's reference dataset name. */
    public String datasetFor(String referenceDataset) {
        return Optional.ofNullable(taskDatasets.get(referenceDataset)).orElse(taskDatasets.getOrDefault("*", referenceDataset));
    }

    /** A copy with other task datasets. */
    public LoopConfig withTaskDatasets(Map<String, String> datasets) {
        return new LoopConfig(wallet, hotkey, stateDir, versionKey, sampleMin, updatedModelsLimit, chainUpdateCadence, modelRetryCadence,
                topModelScanCadence, topModelMinStake, topModelMinShare, metagraphRefresh, weightsInterval, weightsRetry, modelTimeLimit,
                sanityCheck, maxWindows, datasets, cleanInterval, cleanGrace, idleSleep);
    }

    static LoopConfig parse(Config section, Map<String, String> taskDatasets, String where, List<String> problems) {
        Reader r = new Reader(section, where, problems);
        boolean timeLimitParses = section.hasPath("model-time-limit") && parses(() -> section.getDuration("model-time-limit"));
        LoopConfig config = new LoopConfig(r.string("wallet"), r.string("hotkey"), r.string("state-dir"), r.count("version-key", 0, Long.MAX_VALUE),
                (int) r.count("sample-min", 1, MAX_UIDS), (int) r.count("updated-models-limit", 1, MAX_UIDS), r.duration("chain-update-cadence"),
                r.count("model-retry-cadence", 0, Long.MAX_VALUE), r.duration("top-model-scan-cadence"), r.fraction("top-model-min-stake", Double.MAX_VALUE),
                r.fraction("top-model-min-share", 1), r.duration("metagraph-refresh"), r.duration("weights-interval"),
                r.duration("weights-retry"), r.duration("model-time-limit"), r.bool("sanity-check"), (int) r.count("max-windows", 1, MAX_WINDOWS),
                taskDatasets, r.duration("clean-interval"), r.duration("clean-grace"), r.duration("idle-sleep"));
        if (timeLimitParses && config.modelTimeLimit.isZero()) {
            problems.add(where + ".model-time-limit must be positive");
        }
        return config;
    }

    private static boolean parses(Runnable read) {
        try {
            read.run();
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private record Reader(Config section, String where, List<String> problems) {
        String string(String key) {
            try {
                String value = section.getString(key);
                if (value.isBlank()) {
                    problems.add(where + "." + key + " is empty");
                }
                return value;
            } catch (ConfigException e) {
                problems.add(where + "." + key + ": " + e.getMessage());
                return "";
            }
        }

        long count(String key, long min, long max) {
            return ConfigNumbers.whole(section, key, min, max, where + ".", problems);
        }

        double fraction(String key, double max) {
            try {
                double value = section.getDouble(key);
                if (!(value >= 0 && value <= max) || Double.isInfinite(value)) {
                    problems.add(where + "." + key + " must be in [0, " + max + "], got " + value);
                    return 0;
                }
                return value;
            } catch (ConfigException e) {
                problems.add(where + "." + key + " must be a number: " + e.getMessage());
                return 0;
            }
        }

        Duration duration(String key) {
            try {
                Duration value = section.getDuration(key);
                if (value.isNegative()) {
                    problems.add(where + "." + key + " must not be negative");
                    return Duration.ZERO;
                }
                if (value.compareTo(MAX_DURATION) > 0) { // Typesafe saturates an overflow (1e30s) at Long.MAX_VALUE nanoseconds
                    problems.add(where + "." + key + " must be at most " + MAX_DURATION.toDays() + "d, got " + value);
                    return Duration.ZERO;
                }
                return value;
            } catch (ConfigException e) {
                problems.add(where + "." + key + " must be a duration such as 20m or 550s: " + e.getMessage());
                return Duration.ZERO;
            }
        }

        boolean bool(String key) {
            try {
                return section.getBoolean(key);
            } catch (ConfigException e) {
                problems.add(where + "." + key + " must be true or false: " + e.getMessage());
                return false;
            }
        }
    }
}
