package io.pretrain4j.domain.schedule;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a schedule's JSON tree (objects as {@code Map<String, Object>}, arrays as {@code List<Object>},
 * numbers as {@code BigDecimal}, as {@code lib/formats}' reader gives them), collecting every problem
 * with its JSON path before failing.
 */
final class ScheduleParser {
    private final List<String> problems = new ArrayList<>();

    private ScheduleParser() {}

    static CompetitionSchedule fromTree(Object root, String source) {
        ScheduleParser parser = new ScheduleParser();
        CompetitionSchedule schedule = parser.schedule(root);
        if (!parser.problems.isEmpty()) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCHEDULE,
                    "Schedule " + source + " has " + parser.problems.size() + " problem(s):\n  - "
                            + String.join("\n  - ", parser.problems));
        }
        return schedule;
    }

    private CompetitionSchedule schedule(Object root) {
        Map<String, Object> map = object("$", root, Set.of("name", "source", "eras"));
        List<ScheduleEra> eras = new ArrayList<>();
        List<Object> list = array("$.eras", map.get("eras"));
        if (list.isEmpty()) {
            problems.add("$.eras: at least one era is required");
        }
        Set<Long> starts = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ScheduleEra era = era("$.eras[" + i + "]", list.get(i));
            if (!starts.add(era.startBlock())) {
                problems.add("$.eras[" + i + "].startBlock: another era also starts at block " + era.startBlock());
            }
            eras.add(era);
        }
        return new CompetitionSchedule(string("$.name", map.get("name")), eras);
    }

    private ScheduleEra era(String path, Object value) {
        Map<String, Object> map = object(path, value, Set.of("startBlock", "note", "competitions"));
        List<Object> list = array(path + ".competitions", map.get("competitions"));
        List<Competition> competitions = new ArrayList<>();
        BigDecimal shares = BigDecimal.ZERO;
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = path + ".competitions[" + i + "]";
            Competition competition = competition(at, list.get(i));
            if (!ids.add(competition.id())) {
                problems.add(at + ".id: competition " + competition.id() + " appears twice in the era");
            }
            shares = shares.add(BigDecimal.valueOf(competition.rewardShare()));
            competitions.add(competition);
        }
        if (list.isEmpty()) {
            problems.add(path + ".competitions: at least one competition is required");
        } else if (shares.compareTo(BigDecimal.ONE) != 0) {
            problems.add(path + ".competitions: reward shares sum to " + shares.toPlainString() + ", must be 1");
        }
        String note = map.containsKey("note") ? string(path + ".note", map.get("note")) : "";
        return new ScheduleEra(nonNegative(path + ".startBlock", map.get("startBlock")), note, competitions);
    }

    private Competition competition(String path, Object value) {
        Map<String, Object> map = object(path, value, Set.of("id", "name", "rewardShare", "constraints", "evalTasks"));
        BigDecimal share = decimal(path + ".rewardShare", map.get("rewardShare"));
        if (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0) {
            problems.add(path + ".rewardShare: must be in (0, 1], got " + share.toPlainString());
        }
        List<Object> list = array(path + ".evalTasks", map.get("evalTasks"));
        List<EvalTask> tasks = new ArrayList<>();
        BigDecimal weights = BigDecimal.ZERO;
        for (int i = 0; i < list.size(); i++) {
            String at = path + ".evalTasks[" + i + "]";
            EvalTask task = task(at, list.get(i));
            weights = weights.add(BigDecimal.valueOf(task.weight()));
            tasks.add(task);
        }
        if (list.isEmpty()) {
            problems.add(path + ".evalTasks: at least one task is required");
        } else if (weights.compareTo(BigDecimal.ONE) != 0) {
            problems.add(path + ".evalTasks: task weights sum to " + weights.toPlainString() + ", must be 1");
        }
        long id = nonNegative(path + ".id", map.get("id"));
        if (id > 255) {
            problems.add(path + ".id: must be at most 255, got " + id);
        }
        return new Competition(
                (int) id,
                string(path + ".name", map.get("name")),
                share.doubleValue(),
                constraints(path + ".constraints", map.get("constraints")),
                tasks);
    }

    private ModelConstraints constraints(String path, Object value) {
        Map<String, Object> map = object(
                path,
                value,
                Set.of(
                        "minParameters",
                        "maxParameters",
                        "sequenceLength",
                        "architectures",
                        "tokenizer",
                        "evalBlockDelay",
                        "epsilon",
                        "maxBytes",
                        "modelKwargs"));
        long min = nonNegative(path + ".minParameters", map.get("minParameters"));
        long max = nonNegative(path + ".maxParameters", map.get("maxParameters"));
        if (min > max) {
            problems.add(path + ": minParameters " + min + " exceeds maxParameters " + max);
        }
        List<Object> architectures = array(path + ".architectures", map.get("architectures"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < architectures.size(); i++) {
            names.add(string(path + ".architectures[" + i + "]", architectures.get(i)));
        }
        if (names.isEmpty()) {
            problems.add(path + ".architectures: at least one architecture is required");
        }
        long sequenceLength = nonNegative(path + ".sequenceLength", map.get("sequenceLength"));
        long maxBytes = nonNegative(path + ".maxBytes", map.get("maxBytes"));
        if (maxBytes == 0) {
            problems.add(path + ".maxBytes: must be positive");
        }
        return new ModelConstraints(
                min,
                max,
                (int) Math.min(sequenceLength, Integer.MAX_VALUE),
                names,
                string(path + ".tokenizer", map.get("tokenizer")),
                nonNegative(path + ".evalBlockDelay", map.get("evalBlockDelay")),
                epsilon(path + ".epsilon", map.get("epsilon")),
                maxBytes,
                strings(path + ".modelKwargs", map.getOrDefault("modelKwargs", Map.of())));
    }

    private EpsilonSchedule epsilon(String path, Object value) {
        Map<String, Object> map = object(path, value, Set.of("kind", "value", "start", "end", "decayBlocks"));
        String kind = string(path + ".kind", map.get("kind"));
        try {
            return switch (kind) {
                case "fixed" ->
                    EpsilonSchedule.fixed(
                            decimal(path + ".value", map.get("value")).doubleValue());
                case "linear-decay" ->
                    EpsilonSchedule.linearDecay(
                            decimal(path + ".start", map.get("start")).doubleValue(),
                            decimal(path + ".end", map.get("end")).doubleValue(),
                            nonNegative(path + ".decayBlocks", map.get("decayBlocks")));
                default -> {
                    problems.add(path + ".kind: '" + kind + "' is not 'fixed' or 'linear-decay'");
                    yield EpsilonSchedule.fixed(0);
                }
            };
        } catch (Pretrain4jException e) {
            problems.add(path + ": " + e.getMessage());
            return EpsilonSchedule.fixed(0);
        }
    }

    private EvalTask task(String path, Object value) {
        Map<String, Object> map =
                object(path, value, Set.of("name", "method", "dataset", "normalization", "weight", "datasetKwargs"));
        String method = string(path + ".method", map.get("method"));
        if (!Set.of("TEXT_LOSS", "WER").contains(method)) {
            problems.add(path + ".method: '" + method + "' is not TEXT_LOSS or WER");
        }
        String normalization = string(path + ".normalization", map.get("normalization"));
        if (!Set.of("NONE", "INVERSE_EXPONENTIAL").contains(normalization)) {
            problems.add(path + ".normalization: '" + normalization + "' is not NONE or INVERSE_EXPONENTIAL");
        }
        BigDecimal weight = decimal(path + ".weight", map.get("weight"));
        if (weight.signum() <= 0) {
            problems.add(path + ".weight: must be > 0, got " + weight.toPlainString());
        }
        return new EvalTask(
                string(path + ".name", map.get("name")),
                method,
                string(path + ".dataset", map.get("dataset")),
                normalization,
                weight.doubleValue(),
                strings(path + ".datasetKwargs", map.getOrDefault("datasetKwargs", Map.of())));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String path, Object value, Set<String> allowed) {
        if (!(value instanceof Map)) {
            problems.add(path + ": expected an object, got " + describe(value));
            return Map.of();
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (allowed != null) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    problems.add(path + ": unknown key '" + key + "' (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(String path, Object value) {
        if (!(value instanceof List)) {
            problems.add(path + ": expected an array, got " + describe(value));
            return List.of();
        }
        return (List<Object>) value;
    }

    private Map<String, String> strings(String path, Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        object(path, value, null).forEach((key, item) -> {
            if (item instanceof String || item instanceof BigDecimal || item instanceof Boolean) {
                out.put(key, item instanceof BigDecimal number ? number.toPlainString() : item.toString());
            } else {
                problems.add(path + "." + key + ": expected a string, number or boolean, got " + describe(item));
            }
        });
        return out;
    }

    private String string(String path, Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        problems.add(path + ": expected a non-empty string, got " + describe(value));
        return "?";
    }

    private BigDecimal decimal(String path, Object value) {
        if (value instanceof BigDecimal number) {
            return number;
        }
        problems.add(path + ": expected a number, got " + describe(value));
        return BigDecimal.ZERO;
    }

    private long nonNegative(String path, Object value) {
        BigDecimal number = decimal(path, value);
        try {
            long result = number.longValueExact();
            if (result >= 0) {
                return result;
            }
        } catch (ArithmeticException e) {
            // reported below
        }
        if (value instanceof BigDecimal) {
            problems.add(path + ": expected a whole number >= 0, got " + number.toPlainString());
        }
        return 0;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing (missing)";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
