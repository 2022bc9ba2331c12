package io.pretrain4j.validator;

import io.pretrain4j.domain.scoring.CompetitionWeights;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.scoring.RetryRule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Collection;
import java.util.HashMap;

/**
 * Everything the validator must not lose: the reference's {@code uids.pickle},
 * {@code model_tracker.pickle} and {@code competition_tracker.pickle} in one versioned JSON document,
 * plus the last step of every competition for the leaderboard. Mutated by the loop's thread only;
 * {@link StateStore} writes it atomically after every step.
 */
final class ValidatorState {
    /** The layout of this document; a file of another format is moved aside, not read. */
    static final int FORMAT = 1;

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

    /**
     * A step's effects, recorded before they are published.
     *
     * @param step the step's number
     * @param competitionId its competition (for the printed table's kept set)
     * @param line the step log's line
     * @param kept the uids kept after the step
     */
    record UnpublishedStep(long step, int competitionId, String line, List<Integer> kept) {
        UnpublishedStep {
            kept = kept == null ? List.of() : List.copyOf(kept);
        }
    }

    /**
     * Weights prepared for the chain.
     *
     * @param uids destination uids
     * @param values u16 values, as the chain stores them
     * @param versionKey the version key sent
     * @param block the block when they were prepared (they can land only after it)
     * @param atMs when they were prepared (epoch ms)
     */
    record WeightsIntent(List<Integer> uids, List<Integer> values, long versionKey, long block, long atMs) {
        WeightsIntent {
            uids = List.copyOf(uids);
            values = List.copyOf(values);
        }
    }

    /**
     * A miner's model as last seen on chain.
     *
     * @param hotkey the miner's hotkey
     * @param uid its uid when last seen
     * @param chainString the commitment's text
     * @param commitBlock the block of the commitment (the model's block for epsilon and the eval delay)
     * @param competitionId the competition it entered
     * @param repoId namespace/name
     * @param commit the repository revision
     * @param hash the directory hash of what was downloaded ("" before a download)
     * @param rejection why the model may not compete ("" when it may)
     * @param history the latest evaluations per competition, oldest first
     */
    record TrackedModel(String hotkey, int uid, String chainString, long commitBlock, int competitionId, String repoId,
            String commit, String hash, String rejection, Map<Integer, List<Evaluated>> history) {
        TrackedModel {
            history = history == null ? Map.of() : Map.copyOf(history);
            rejection = rejection == null ? "" : rejection;
            hash = hash == null ? "" : hash;
        }

        boolean sameCommitment(String data, long block) {
            return chainString.equals(data) && commitBlock == block;
        }

        TrackedModel withRejection(String reason) {
            return new TrackedModel(hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, hash, reason, history);
        }

        TrackedModel withHash(String newHash) {
            return new TrackedModel(hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, newHash, rejection, history);
        }

        TrackedModel withEvaluation(int competition, Evaluated evaluation) {
            Map<Integer, List<Evaluated>> copy = new TreeMap<>(history);
            List<Evaluated> list = new ArrayList<>(copy.getOrDefault(competition, List.of()));
            list.add(evaluation);
            while (list.size() > RetryRule.HISTORY_LENGTH) {
                list.remove(0);
            }
            copy.put(competition, List.copyOf(list));
            return new TrackedModel(hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, hash, rejection, copy);
        }

        List<Evaluated> historyOf(int competition) {
            return history.getOrDefault(competition, List.of());
        }

        /** The history in the retry rule's terms. */
        List<RetryRule.Evaluation> retryHistoryOf(int competition) {
            return historyOf(competition).stream().map(Evaluated::toRule).toList();
        }
    }

    /**
     * One past evaluation ({@code EvalResult}); {@link RetryRule.Evaluation} as stored.
     *
     * @param block the block the step ran at
     * @param score the model's score, +inf when it failed
     * @param winnerBlock the commit block of that step's winner
     * @param winnerScore the winner's score
     */
    record Evaluated(long block, double score, long winnerBlock, double winnerScore) {
        RetryRule.Evaluation toRule() {
            return new RetryRule.Evaluation(block, score, winnerBlock, winnerScore);
        }
    }

    /**
     * One competition step, as the leaderboard and the step log show it.
     *
     * @param globalStep the step's number
     * @param competitionId the competition
     * @param competition its name
     * @param block the block the step ran at
     * @param timeMs when it finished (epoch ms)
     * @param seed the data seed (decimal)
     * @param pages the pages evaluated, {@code dataset:page} per task
     * @param rows one per evaluated uid, best weight first
     */
    record StepReport(long globalStep, int competitionId, String competition, long block, long timeMs, String seed,
            Map<String, List<String>> pages, List<Row> rows) {
        StepReport {
            pages = Map.copyOf(pages);
            rows = List.copyOf(rows);
        }
    }

    /**
     * One uid in a step.
     *
     * @param uid the uid
     * @param hotkey its hotkey
     * @param repo {@code namespace/name@commit}, "" when unknown
     * @param block the commit block, -1 when unknown
     * @param score the weighted loss, +inf (written as null) when it failed
     * @param taskScores the raw score of each task
     * @param epsilonAdvantage the epsilon this model's age gives it against later uploads now
     * @param winRate its win rate (0 when not competitive)
     * @param wins its wins
     * @param stepWeight its softmax weight in this step
     * @param competitionWeight its running competition weight after the step
     * @param reason why it scored +inf, "" otherwise
     */
    record Row(int uid, String hotkey, String repo, long block, Double score, Map<String, Double> taskScores, double epsilonAdvantage,
            double winRate, int wins, double stepWeight, double competitionWeight, String reason) {
        Row {
            taskScores = taskScores == null ? Map.of() : new TreeMap<>(taskScores);
        }
    }

    /** Every uid in the pending or kept set of any competition. */
    Set<Integer> uidsInFlight() {
        Set<Integer> all = new HashSet<>();
        uidsToEval.values().forEach(all::addAll);
        pending.values().forEach(all::addAll);
        return all;
    }

    int inFlightCount() {
        return uidsInFlight().size();
    }

    /**
     * The subnet's weights by uid from the competitions' EMA weights and the reward shares of
     * {@code active} (the competitions at the iteration's block): the one computation behind both
     * the step log's {@code norm_weight} and the weights set on chain.
     */
    double[] subnetWeights(List<Competition> active) {
        Map<Integer, Double> shares = new HashMap<>();
        active.forEach(c -> shares.put(c.id(), c.rewardShare()));
        return CompetitionWeights.of(neurons, competitionWeights).subnetWeights(shares);
    }

    /** Forgets what belongs to competitions no longer in the schedule: their queues and their weights. */
    void retainCompetitions(Collection<Integer> active) {
        Set<Integer> ids = Set.copyOf(active);
        uidsToEval.keySet().retainAll(ids);
        pending.keySet().retainAll(ids);
        competitionWeights.keySet().retainAll(ids);
    }
}
