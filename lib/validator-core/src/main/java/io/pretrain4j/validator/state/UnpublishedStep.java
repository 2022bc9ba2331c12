package io.pretrain4j.validator.state;

import java.util.List;

/**
 * A step's effects, recorded before they are published.
 *
 * @param step the step's number
 * @param competitionId its competition (for the printed table's kept set)
 * @param line the step log's line
 * @param kept the uids kept after the step
 */
public record UnpublishedStep(long step, int competitionId, String line, List<Integer> kept) {
    public UnpublishedStep {
        kept = kept == null ? List.of() : List.copyOf(kept);
    }
}
