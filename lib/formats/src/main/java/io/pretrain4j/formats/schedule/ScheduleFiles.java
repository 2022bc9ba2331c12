package io.pretrain4j.formats.schedule;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.formats.json.MiniJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Competition schedules as JSON: the subnet-9 schedule shipped as the resource {@value #SN9_RESOURCE},
 * and an operator's own file's text. The JSON is read here; the domain checks the schedule
 * ({@link CompetitionSchedule#fromTree}).
 */
public final class ScheduleFiles {
    /** The resource holding the subnet-9 schedule of the reference release 6.0.4. */
    public static final String SN9_RESOURCE = "/io/pretrain4j/formats/schedule/sn9.json";

    private ScheduleFiles() {}

    /** The subnet-9 schedule shipped with pretrain4j. */
    public static CompetitionSchedule sn9() {
        try (InputStream in = ScheduleFiles.class.getResourceAsStream(SN9_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SN9_RESOURCE + " is missing from the formats jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SN9_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SN9_RESOURCE, e);
        }
    }

    /** Parses and checks a schedule's JSON; every problem found is listed in one error naming {@code source}. */
    public static CompetitionSchedule parse(String json, String source) {
        Object root;
        try {
            root = MiniJson.parse(json);
        } catch (MiniJson.JsonSyntaxException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCHEDULE,
                    "Schedule " + source + " is not valid JSON: " + e.getMessage(),
                    e);
        }
        return CompetitionSchedule.fromTree(root, source);
    }
}
