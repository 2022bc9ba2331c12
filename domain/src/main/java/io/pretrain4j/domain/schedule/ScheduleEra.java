package io.pretrain4j.domain.schedule;

import java.util.List;

/**
 * The competitions active from {@code startBlock} until the next era starts.
 *
 * @param startBlock first block of the era
 * @param note where the era comes from
 * @param competitions the active competitions, reward shares summing to 1
 */
public record ScheduleEra(long startBlock, String note, List<Competition> competitions) {
    public ScheduleEra {
        competitions = List.copyOf(competitions);
    }
}
