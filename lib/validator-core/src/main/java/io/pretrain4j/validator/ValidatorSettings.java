package io.pretrain4j.validator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validator loop's settings ({@code pretrain4j.validator}, read by the validator app); the
 * defaults are the reference's constants (REFERENCE.md sections 1 and 2).
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
public record ValidatorSettings(
        String wallet,
        String hotkey,
        String stateDir,
        long versionKey,
        int sampleMin,
        int updatedModelsLimit,
        Duration chainUpdateCadence,
        long modelRetryCadence,
        Duration topModelScanCadence,
        double topModelMinStake,
        double topModelMinShare,
        Duration metagraphRefresh,
        Duration weightsInterval,
        Duration weightsRetry,
        Duration modelTimeLimit,
        boolean sanityCheck,
        int maxWindows,
        Map<String, String> taskDatasets,
        Duration cleanInterval,
        Duration cleanGrace,
        Duration idleSleep) {
    /** The keys below {@code pretrain4j.validator} that hold a single value. */
    public static final Set<String> LEAVES = Set.of(
            "wallet",
            "hotkey",
            "state-dir",
            "version-key",
            "sample-min",
            "updated-models-limit",
            "chain-update-cadence",
            "model-retry-cadence",
            "top-model-scan-cadence",
            "top-model-min-stake",
            "top-model-min-share",
            "metagraph-refresh",
            "weights-interval",
            "weights-retry",
            "model-time-limit",
            "sanity-check",
            "max-windows",
            "clean-interval",
            "clean-grace",
            "idle-sleep");

    /** uids on a subnet (u16). */
    public static final int MAX_UIDS = 65536;
    /** Windows per task: the reference keeps 50; a million is far past any machine's patience. */
    public static final int MAX_WINDOWS = 1_000_000;

    /** What {@code application.conf} ships. */
    public static final ValidatorSettings SHIPPED = new ValidatorSettings(
            "default",
            "default",
            "model-store/vali-state",
            4062,
            5,
            25,
            Duration.ofMinutes(20),
            300,
            Duration.ofMinutes(30),
            50_000,
            0.05,
            Duration.ofMinutes(20),
            Duration.ofHours(1),
            Duration.ofMinutes(2),
            Duration.ofSeconds(550),
            true,
            50,
            Map.of(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(5));

    public ValidatorSettings {
        requireNonNull(wallet, "wallet is null");
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(stateDir, "stateDir is null");
        taskDatasets = Map.copyOf(taskDatasets);
    }

    /** The configured dataset name for a task's reference dataset name. */
    public String datasetFor(String referenceDataset) {
        return Optional.ofNullable(taskDatasets.get(referenceDataset))
                .orElse(taskDatasets.getOrDefault("*", referenceDataset));
    }

    /** A copy with other task datasets. */
    public ValidatorSettings withTaskDatasets(Map<String, String> datasets) {
        return new ValidatorSettings(
                wallet,
                hotkey,
                stateDir,
                versionKey,
                sampleMin,
                updatedModelsLimit,
                chainUpdateCadence,
                modelRetryCadence,
                topModelScanCadence,
                topModelMinStake,
                topModelMinShare,
                metagraphRefresh,
                weightsInterval,
                weightsRetry,
                modelTimeLimit,
                sanityCheck,
                maxWindows,
                datasets,
                cleanInterval,
                cleanGrace,
                idleSleep);
    }
}
