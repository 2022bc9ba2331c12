package io.pretrain4j.validator.state;

import io.pretrain4j.domain.scoring.RetryRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
public record TrackedModel(
        String hotkey,
        int uid,
        String chainString,
        long commitBlock,
        int competitionId,
        String repoId,
        String commit,
        String hash,
        String rejection,
        Map<Integer, List<Evaluated>> history) {
    public TrackedModel {
        history = history == null ? Map.of() : Map.copyOf(history);
        rejection = rejection == null ? "" : rejection;
        hash = hash == null ? "" : hash;
    }

    public boolean sameCommitment(String data, long block) {
        return chainString.equals(data) && commitBlock == block;
    }

    public TrackedModel withRejection(String reason) {
        return new TrackedModel(
                hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, hash, reason, history);
    }

    public TrackedModel withHash(String newHash) {
        return new TrackedModel(
                hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, newHash, rejection, history);
    }

    public TrackedModel withEvaluation(int competition, Evaluated evaluation) {
        Map<Integer, List<Evaluated>> copy = new TreeMap<>(history);
        List<Evaluated> list = new ArrayList<>(copy.getOrDefault(competition, List.of()));
        list.add(evaluation);
        while (list.size() > RetryRule.HISTORY_LENGTH) {
            list.remove(0);
        }
        copy.put(competition, List.copyOf(list));
        return new TrackedModel(
                hotkey, uid, chainString, commitBlock, competitionId, repoId, commit, hash, rejection, copy);
    }

    public List<Evaluated> historyOf(int competition) {
        return history.getOrDefault(competition, List.of());
    }

    /** The history in the retry rule's terms. */
    public List<RetryRule.Evaluation> retryHistoryOf(int competition) {
        return historyOf(competition).stream().map(Evaluated::toRule).toList();
    }
}
