package io.pretrain4j.validator.state;

import java.util.List;
import java.util.Map;

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
public record StepReport(
        long globalStep,
        int competitionId,
        String competition,
        long block,
        long timeMs,
        String seed,
        Map<String, List<String>> pages,
        List<Row> rows) {
    public StepReport {
        pages = Map.copyOf(pages);
        rows = List.copyOf(rows);
    }
}
