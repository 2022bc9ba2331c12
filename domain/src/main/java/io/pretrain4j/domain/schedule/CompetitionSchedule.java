package io.pretrain4j.domain.schedule;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The competition schedule as data: eras by start block, each with its competitions. The real
 * subnet-9 schedule ships as the resource {@value #SN9_RESOURCE}; operators of other subnets load
 * their own file with {@link #parse(String)}.
 */
public final class CompetitionSchedule {
    /** The resource holding the subnet-9 schedule of the reference release 6.0.4. */
    public static final String SN9_RESOURCE = "/io/pretrain4j/domain/schedule/sn9.json";

    private final String name;
    private final List<ScheduleEra> eras;

    CompetitionSchedule(String name, List<ScheduleEra> eras) {
        this.name = name;
        this.eras = eras.stream().sorted(Comparator.comparingLong(ScheduleEra::startBlock)).toList();
    }

    /** The subnet-9 schedule shipped with pretrain4j. */
    public static CompetitionSchedule sn9() {
        try (InputStream in = CompetitionSchedule.class.getResourceAsStream(SN9_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SN9_RESOURCE + " is missing from the domain jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SN9_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SN9_RESOURCE, e);
        }
    }

    /** Parses and validates a schedule file; every problem found is listed in one error. */
    public static CompetitionSchedule parse(String json, String source) {
        return ScheduleParser.parse(json, source);
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
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT,
                    "no competition is scheduled at block " + block + "; the schedule '" + name + "' starts at block "
                            + eras.get(0).startBlock());
        }
        return active.competitions();
    }

    /** The competition with {@code competitionId} at {@code block}, if it is active then. */
    public Optional<Competition> competitionAt(long block, int competitionId) {
        return constraintsAt(block).stream().filter(c -> c.id() == competitionId).findFirst();
    }
}
