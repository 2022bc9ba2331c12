package io.pretrain4j.validator.state;

import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.scoring.CompetitionWeights;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the validator must not lose: the reference's {@code uids.pickle},
 * {@code model_tracker.pickle} and {@code competition_tracker.pickle} in one versioned JSON document,
 * plus the last step of every competition for the leaderboard. The loop changes it only through its
 * operations (its fields are this package's: the {@link StateStore} adapter and {@link StateCheck}), on
 * the loop's thread; a {@link StateStore} writes it atomically after every step.
 */
public final class ValidatorState {
    /** The layout of this document; a file of another format is moved aside, not read. */
    public static final int FORMAT = 1;

    int format = FORMAT;
    /** The version key this state was written under; another one means "re-evaluate everything". */
    long versionKey;

    long globalStep;
    /** The kept set per competition. */
    TreeMap<Integer, TreeSet<Integer>> uidsToEval = new TreeMap<>();
    /** Models synced since the last step of their competition. */
    TreeMap<Integer, TreeSet<Integer>> pending = new TreeMap<>();
    /** What the validator knows about each hotkey's model. */
    TreeMap<String, TrackedModel> models = new TreeMap<>();
    /** Running (EMA) weights per competition, metagraph-sized. */
    TreeMap<Integer, double[]> competitionWeights = new TreeMap<>();

    int neurons;
    /** When weights were last set successfully (epoch ms, 0 never) and at which block. */
    long weightsSetAtMs;

    long weightsSetBlock = -1;
    /** When the last weight setting failed (epoch ms, 0 none since the last success) and why. */
    long weightsFailedAtMs;

    String weightsFailure;
    /** When each uid's commitment was last looked at (epoch ms). */
    TreeMap<Integer, Long> checkedAtMs = new TreeMap<>();
    /** When the top-model scan last ran (epoch ms). */
    long topModelScanAtMs;
    /** The latest step of each competition, for the leaderboard. */
    TreeMap<Integer, StepReport> lastSteps = new TreeMap<>();
    /**
     * Steps recorded here but not yet published (step log, run log, printed table): the state is
     * saved with them before anything is published, and publishing is idempotent by step number,
     * so a crash at any point neither repeats nor loses a step.
     */
    List<UnpublishedStep> unpublished = new ArrayList<>();
    /**
     * Weights about to be set, saved before the chain is asked: a restart that finds them on chain
     * (the crash came after the extrinsic landed) records them as set instead of setting them again.
     */
    WeightsIntent weightsIntent;

    /** For the JSON adapter. */
    ValidatorState() {}

    /** A clean state for a validator running {@code versionKey}. */
    public ValidatorState(long versionKey) {
        this.versionKey = versionKey;
    }

    // ------------------------------------------------------------------ reads

    /** The version key this state was written under. */
    public long versionKey() {
        return versionKey;
    }

    /** The next step's number. */
    public long globalStep() {
        return globalStep;
    }

    /** The metagraph size the running weights are sized for. */
    public int neurons() {
        return neurons;
    }

    /** The model tracked for {@code hotkey}, or null when none is. */
    public TrackedModel model(String hotkey) {
        return models.get(hotkey);
    }

    /** Every tracked model by hotkey (read-only). */
    public Map<String, TrackedModel> models() {
        return Collections.unmodifiableMap(models);
    }

    /** The kept set of competition {@code id} (read-only; empty when none). */
    public Set<Integer> kept(int id) {
        return Collections.unmodifiableSet(uidsToEval.getOrDefault(id, new TreeSet<>()));
    }

    /** The models synced for competition {@code id} since its last step (read-only; empty when none). */
    public Set<Integer> pending(int id) {
        return Collections.unmodifiableSet(pending.getOrDefault(id, new TreeSet<>()));
    }

    /** Whether competition {@code id} has no model to evaluate: nothing kept, nothing pending. */
    public boolean idle(int id) {
        return kept(id).isEmpty() && pending(id).isEmpty();
    }

    /** The running weights of each competition (read-only). */
    public Map<Integer, double[]> competitionWeights() {
        return Collections.unmodifiableMap(competitionWeights);
    }

    /** When {@code uid}'s commitment was last looked at (epoch ms), or null. */
    public Long checkedAtMs(int uid) {
        return checkedAtMs.get(uid);
    }

    public long topModelScanAtMs() {
        return topModelScanAtMs;
    }

    /** When weights were last set (epoch ms, 0 never). */
    public long weightsSetAtMs() {
        return weightsSetAtMs;
    }

    /** The block weights were last set at, -1 never. */
    public long weightsSetBlock() {
        return weightsSetBlock;
    }

    /** When the last weight setting failed (epoch ms, 0 none since the last success). */
    public long weightsFailedAtMs() {
        return weightsFailedAtMs;
    }

    /** Why the last weight setting failed, or null. */
    public String weightsFailure() {
        return weightsFailure;
    }

    /** Weights prepared and not yet known to be on chain, or null. */
    public WeightsIntent weightsIntent() {
        return weightsIntent;
    }

    /** The latest step of each competition (read-only). */
    public Map<Integer, StepReport> lastSteps() {
        return Collections.unmodifiableMap(lastSteps);
    }

    /** Steps recorded and not yet published, oldest first (read-only). */
    public List<UnpublishedStep> unpublished() {
        return Collections.unmodifiableList(unpublished);
    }

    // ------------------------------------------------------------------ operations

    /** A state written under another version key: every model is evaluated again; running weights are kept. */
    public void restartEvaluations(long newVersionKey) {
        uidsToEval.clear();
        pending.clear();
        models.clear();
        checkedAtMs.clear();
        versionKey = newVersionKey;
    }

    /** Records (or replaces) what is known of a hotkey's model. */
    public void track(TrackedModel model) {
        models.put(model.hotkey(), model);
    }

    /** Forgets the models of hotkeys no longer registered. */
    public void forgetModelsExcept(Set<String> registered) {
        models.keySet().removeIf(hotkey -> !registered.contains(hotkey));
    }

    /** Resizes every competition's running weights to a metagraph of {@code size} uids (new uids at 0). */
    public void resizeWeights(int size) {
        if (size == neurons) {
            return;
        }
        CompetitionWeights weights =
                CompetitionWeights.of(Math.max(neurons, 0), competitionWeights).resize(size);
        competitionWeights.clear();
        for (int id : weights.competitions()) {
            competitionWeights.put(id, weights.weightsOf(id));
        }
        neurons = size;
    }

    /** Takes {@code uid} out of every kept and pending set (a new hotkey holds it). */
    public void evict(int uid) {
        uidsToEval.values().forEach(set -> set.remove(uid));
        pending.values().forEach(set -> set.remove(uid));
    }

    /** Queues {@code uid} for competition {@code id}'s next step. */
    public void queue(int id, int uid) {
        pending.computeIfAbsent(id, k -> new TreeSet<>()).add(uid);
    }

    /** The uids competition {@code id}'s step evaluates: its kept set with what was pending merged in (the pending set is emptied). */
    public Set<Integer> takeForStep(int id) {
        TreeSet<Integer> uids = uidsToEval.computeIfAbsent(id, k -> new TreeSet<>());
        TreeSet<Integer> waiting = pending.remove(id);
        if (waiting != null) {
            uids.addAll(waiting);
        }
        return Collections.unmodifiableSet(uids);
    }

    /** The kept set of competition {@code id} after its step. */
    public void keep(int id, Collection<Integer> uids) {
        uidsToEval.put(id, new TreeSet<>(uids));
    }

    /** Competition {@code id}'s running weights after a step. */
    public void competitionWeights(int id, double[] weights) {
        competitionWeights.put(id, weights.clone());
    }

    /** {@code uid}'s commitment was looked at, at {@code atMs}. */
    public void checked(int uid, long atMs) {
        checkedAtMs.put(uid, atMs);
    }

    /** The top-model scan ran at {@code atMs}. */
    public void topModelsScanned(long atMs) {
        topModelScanAtMs = atMs;
    }

    /** Ends a step: the next one gets the following number. */
    public void stepDone() {
        globalStep++;
    }

    /** Records a step's report and its step-log line, unpublished until {@link #published}. */
    public void recordStep(StepReport report, UnpublishedStep step) {
        lastSteps.put(report.competitionId(), report);
        unpublished.add(step);
    }

    /** The oldest unpublished step was published everywhere. */
    public void published() {
        unpublished.remove(0);
    }

    /** Weights about to be set, saved before the chain is asked. */
    public void prepareWeights(WeightsIntent intent) {
        weightsIntent = intent;
    }

    /** The prepared weights are dropped (they landed, failed, or are stale). */
    public void dropWeightsIntent() {
        weightsIntent = null;
    }

    /** Weights were set (or found on chain) at {@code block}, prepared at {@code atMs}. */
    public void weightsSet(long atMs, long block) {
        weightsSetAtMs = atMs;
        weightsSetBlock = block;
        weightsFailedAtMs = 0;
        weightsFailure = null;
    }

    /** Setting weights prepared at {@code atMs} failed for {@code reason}. */
    public void weightsFailed(long atMs, String reason) {
        weightsFailedAtMs = atMs;
        weightsFailure = reason;
    }

    /** Every uid in the pending or kept set of any competition. */
    public Set<Integer> uidsInFlight() {
        Set<Integer> all = new HashSet<>();
        uidsToEval.values().forEach(all::addAll);
        pending.values().forEach(all::addAll);
        return all;
    }

    public int inFlightCount() {
        return uidsInFlight().size();
    }

    /**
     * The subnet's weights by uid from the competitions' EMA weights and the reward shares of
     * {@code active} (the competitions at the iteration's block): the one computation behind both
     * the step log's {@code norm_weight} and the weights set on chain.
     */
    public double[] subnetWeights(List<Competition> active) {
        Map<Integer, Double> shares = new HashMap<>();
        active.forEach(c -> shares.put(c.id(), c.rewardShare()));
        return CompetitionWeights.of(neurons, competitionWeights).subnetWeights(shares);
    }

    /** Forgets what belongs to competitions no longer in the schedule: their queues and their weights. */
    public void retainCompetitions(Collection<Integer> active) {
        Set<Integer> ids = Set.copyOf(active);
        uidsToEval.keySet().retainAll(ids);
        pending.keySet().retainAll(ids);
        competitionWeights.keySet().retainAll(ids);
    }
}
