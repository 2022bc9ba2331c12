package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import io.pretrain4j.formats.schedule.ScheduleFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit --step-log steps.jsonl}: recomputes every logged step's wins, win rates and step
 * weights from the losses and blocks the step logged, with the reference's scoring, and reports the
 * steps whose logged numbers differ. It reads the lines validators publish to W&B (and that
 * {@code steps.jsonl} holds): {@code block} (the step's block), {@code step_competition_id} and
 * {@code original_format_json} (a JSON string, or an object) with {@code uid_data} per uid:
 * {@code average_loss} (a number, null, NaN or "inf" for a failed model), {@code block} (the
 * model's commit block), {@code win_rate}, {@code win_total} and {@code weight}. The competition's
 * epsilon at the step's block comes from the schedule ({@code sn9} by default).
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Recomputes each logged step's wins, win rates and weights from its logged losses and",
            "blocks with the reference's scoring and reports the steps whose logged values differ.",
            "Reads JSON lines with block, step_competition_id and original_format_json (the fields",
            "subnet-9 validators publish to W&B). Exit 0: all agree; 3: some differ; 2: bad input."
        })
public final class AuditCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double TOLERANCE = 1e-6;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--step-log",
            required = true,
            paramLabel = "<steps.jsonl>",
            description = "the step log, one step per line")
    private Path stepLog;

    @Option(
            names = "--schedule",
            defaultValue = "sn9",
            paramLabel = "<sn9|file>",
            description = "the competition schedule (default: ${DEFAULT-VALUE})")
    private String schedule;

    @Option(
            names = "--temperature",
            defaultValue = "0.01",
            description = "the softmax temperature (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--verbose", description = "also list the steps that agree")
    private boolean verbose;

    /** What one line's audit found. */
    public record Finding(int line, long step, long block, int competitionId, List<String> differences, String error) {}

    @Override
    public Integer call() {
        CompetitionSchedule competitions = loadSchedule(schedule);
        PrintWriter out = spec.commandLine().getOut();
        int agree = 0;
        int differ = 0;
        int unreadable = 0;
        try (BufferedReader in = Files.newBufferedReader(stepLog, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Finding finding = audit(number, line, competitions, temperature);
                if (finding.error() != null) {
                    unreadable++;
                    out.println("line " + number + ": cannot audit: " + finding.error());
                } else if (!finding.differences().isEmpty()) {
                    differ++;
                    out.println("line " + number + " (step " + finding.step() + ", block " + finding.block()
                            + ", competition " + finding.competitionId() + "): "
                            + String.join("; ", finding.differences()));
                } else {
                    agree++;
                    if (verbose) {
                        out.println("line " + number + " (step " + finding.step() + ", block " + finding.block()
                                + "): agrees");
                    }
                }
            }
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_SCORING_INPUT, "cannot read " + stepLog + ": " + e);
        }
        out.println("audited " + (agree + differ + unreadable) + " steps: " + agree + " agree, " + differ + " differ, "
                + unreadable + " could not be audited");
        out.flush();
        return differ > 0 ? 3 : unreadable > 0 ? 2 : 0;
    }

    public static CompetitionSchedule loadSchedule(String schedule) {
        if (schedule.equals("sn9")) {
            return ScheduleFiles.sn9();
        }
        try {
            return ScheduleFiles.parse(Files.readString(Path.of(schedule), StandardCharsets.UTF_8), schedule);
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCORING_INPUT, "cannot read the schedule " + schedule + ": " + e);
        }
    }

    /** Audits one step line. */
    public static Finding audit(int number, String text, CompetitionSchedule schedule, double temperature) {
        long step = -1;
        long block = -1;
        int competitionId = -1;
        try {
            JsonNode line = JSON.readTree(text);
            if (line == null || !line.isObject()) {
                return failed(number, "not a JSON object");
            }
            step = line.path("step").asLong(line.path("_step").asLong(-1));
            if (!line.path("block").canConvertToLong()) {
                return failed(number, "no \"block\" (the step's block)");
            }
            block = line.get("block").asLong();
            JsonNode original = line.get("original_format_json");
            if (original != null && original.isTextual()) {
                original = JSON.readTree(original.asText());
            }
            if (original == null || !original.path("uid_data").isObject()) {
                return failed(number, "no original_format_json with uid_data");
            }
            JsonNode uidData = original.get("uid_data");
            competitionId = line.path("step_competition_id").canConvertToInt()
                    ? line.get("step_competition_id").asInt()
                    : -1;
            Map<Integer, JsonNode> rows = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = uidData.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int uid;
                try {
                    uid = Integer.parseInt(e.getKey());
                } catch (NumberFormatException notAUid) {
                    return failed(number, "uid_data key '" + abbreviate(e.getKey()) + "' is not a uid");
                }
                rows.put(uid, e.getValue());
                if (competitionId < 0 && e.getValue().path("competition_id").canConvertToInt()) {
                    competitionId = e.getValue().get("competition_id").asInt();
                }
            }
            if (competitionId < 0) {
                return failed(number, "no step_competition_id");
            }
            Optional<Competition> competition = schedule.competitionAt(block, competitionId);
            if (competition.isEmpty()) {
                return failed(number, "competition " + competitionId + " is not in the schedule at block " + block);
            }
            List<ModelEvaluation> models = new ArrayList<>();
            for (Map.Entry<Integer, JsonNode> row : rows.entrySet()) {
                JsonNode data = row.getValue();
                if (!data.path("block").canConvertToLong()) {
                    return failed(number, "uid " + row.getKey() + " has no block");
                }
                models.add(ModelEvaluation.of(
                        row.getKey(),
                        loss(data.get("average_loss")),
                        data.get("block").asLong()));
            }
            StepScore score = new ReferenceScoringPolicy(temperature, ReferenceScoringPolicy.ALPHA)
                    .score(
                            ScoringTime.block(block),
                            competition.get().constraints().epsilon(),
                            models);
            List<String> differences = new ArrayList<>();
            for (Map.Entry<Integer, JsonNode> row : rows.entrySet()) {
                int uid = row.getKey();
                JsonNode data = row.getValue();
                compare(
                        differences,
                        uid,
                        "win_rate",
                        data.get("win_rate"),
                        score.winRates().getOrDefault(uid, 0.0));
                compare(
                        differences,
                        uid,
                        "win_total",
                        data.get("win_total"),
                        score.wins().getOrDefault(uid, 0));
                compare(
                        differences,
                        uid,
                        "weight",
                        data.get("weight"),
                        score.weights().getOrDefault(uid, 0.0));
            }
            return new Finding(number, step, block, competitionId, differences, null);
        } catch (JsonProcessingException e) {
            return failed(number, "not JSON: " + e.getOriginalMessage());
        } catch (Pretrain4jException | IllegalArgumentException e) {
            return new Finding(number, step, block, competitionId, List.of(), e.getMessage());
        }
    }

    private static void compare(List<String> differences, int uid, String field, JsonNode logged, double recomputed) {
        if (logged == null || logged.isNull()) {
            return; // not logged: nothing to compare
        }
        double value = logged.isNumber() ? logged.asDouble() : Double.NaN;
        if (!(Math.abs(value - recomputed) <= TOLERANCE * Math.max(1, Math.abs(recomputed)))) {
            differences.add("uid " + uid + " " + field + " logged " + logged.asText() + ", recomputed " + recomputed);
        }
    }

    /** A logged loss: a number, or null / NaN / "inf" for a model that failed (+inf, as the reference scores it). */
    private static double loss(JsonNode node) {
        if (node == null || node.isNull()) {
            return Double.POSITIVE_INFINITY;
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
        }
        String text = node.asText().trim().toLowerCase(Locale.ROOT);
        if (text.equals("inf") || text.equals("infinity") || text.equals("nan") || text.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("average_loss '" + abbreviate(node.asText()) + "' is not a number");
        }
    }

    private static Finding failed(int number, String why) {
        return new Finding(number, -1, -1, -1, List.of(), why);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
