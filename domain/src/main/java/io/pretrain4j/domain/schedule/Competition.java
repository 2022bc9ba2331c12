package io.pretrain4j.domain.schedule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A competition in one era of the schedule.
 *
 * @param id the chain's competition id ({@code CompetitionId}: B7=0, M772=1, B3=2, ...)
 * @param name the reference's name, e.g. {@code B3}
 * @param rewardShare the share of the subnet's weight this competition gets
 * @param constraints what models it accepts
 * @param evalTasks how models are scored; weights sum to 1
 */
public record Competition(
        int id, String name, double rewardShare, ModelConstraints constraints, List<EvalTask> evalTasks) {
    public Competition {
        requireNonNull(name, "name is null");
        requireNonNull(constraints, "constraints is null");
        evalTasks = List.copyOf(evalTasks);
    }
}
