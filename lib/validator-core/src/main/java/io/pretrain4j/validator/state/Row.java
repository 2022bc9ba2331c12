package io.pretrain4j.validator.state;

import java.util.Map;
import java.util.TreeMap;

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
public record Row(
        int uid,
        String hotkey,
        String repo,
        long block,
        Double score,
        Map<String, Double> taskScores,
        double epsilonAdvantage,
        double winRate,
        int wins,
        double stepWeight,
        double competitionWeight,
        String reason) {
    public Row {
        taskScores = taskScores == null ? Map.of() : new TreeMap<>(taskScores);
    }
}
