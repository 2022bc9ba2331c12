package io.pretrain4j.domain.schedule;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The competition schedule as data: eras by start block, each with its competitions. The real
 * subnet-9 schedule ships with {@code lib/formats} ({@code ScheduleFiles.sn9()}); operators of other
 * subnets load their own file there too ({@code ScheduleFiles.parse}).
 */
public final class CompetitionSchedule {
    private final String name;
    private final List<ScheduleEra> eras;

    CompetitionSchedule(String name, List<ScheduleEra> eras) {
        this.name = name;
        this.eras = eras.stream()
                .sorted(Comparator.comparingLong(ScheduleEra::startBlock))
                .toList();
    }

    /**
     * Checks a schedule read from JSON (objects as {@code Map<String, Object>}, arrays as
     * {@code List<Object>}, numbers as {@code BigDecimal}); every problem found is listed in one
     * error naming {@code source}. {@code lib/formats}' {@code ScheduleFiles} reads the files and the
     * shipped subnet-9 schedule.
     */
    public static CompetitionSchedule fromTree(Object root, String source) {
        return ScheduleParser.fromTree(root, source);
    }

    /** The schedule's name. */
    public String name() {
        return name;
    }

    /** The eras, by ascending start block. */
    public List<ScheduleEra> eras() {
        return eras;
    }

    /** The competitions active at {@code block} (the reference's {@code constraints_at(block)}). */
    public List<Competition> constraintsAt(long block) {
        ScheduleEra active = null;
        for (ScheduleEra era : eras) {
            if (era.startBlock() <= block) {
                active = era;
            }
        }
        if (active == null) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "no competition is scheduled at block " + block + "; the schedule '" + name + "' starts at block "
                            + eras.get(0).startBlock());
        }
        return active.competitions();
    }

    /** The competition with {@code competitionId} at {@code block}, if it is active then. */
    public Optional<Competition> competitionAt(long block, int competitionId) {
        return constraintsAt(block).stream()
                .filter(c -> c.id() == competitionId)
                .findFirst();
    }
}
