package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.EpsilonSchedule;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The input of {@code score}: one competition's step.
 *
 * @param currentBlock the block the step runs at
 * @param epsilon the competition's epsilon schedule
 * @param temperature the softmax temperature
 * @param models the evaluated models
 */
record StepInput(long currentBlock, EpsilonSchedule epsilon, double temperature, List<ModelEvaluation> models) {
    /** A step is a flat document: these bounds are far above any real one and far below what would hurt. */
    static final int MAX_NESTING = 16;

    static final int MAX_STRING_CHARS = 1 << 16;
    static final int MAX_NUMBER_CHARS = 400;
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(MAX_STRING_CHARS)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    StepInput {
        models = List.copyOf(models);
    }

    /**
     * Whether {@code text} is JSON Lines (several step objects, one per line) rather than one JSON
     * document: it is not one document, and its first non-blank line is one by itself.
     */
    static boolean isJsonLines(String text) {
        try {
            MAPPER.readTree(text);
            return false;
        } catch (JsonProcessingException e) {
            for (String line : text.split("\\r?\\n")) {
                if (!line.isBlank()) {
                    try {
                        JsonNode first = MAPPER.readTree(line);
                        return first != null && first.isObject();
                    } catch (JsonProcessingException notALine) {
                        return false;
                    }
                }
            }
            return false;
        }
    }

    /** Parses and validates; the error names the first problem and where it is. */
    static StepInput parse(String json) {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(json)) {
            try {
                root = MAPPER.readTree(parser);
                if (parser.nextToken() != null) {
                    throw new JsonParseException(parser, "trailing content after the JSON object");
                }
            } catch (JsonProcessingException e) {
                // a limit's error (nesting, string or number length) carries no location of its own:
                // the parser knows it
                JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                throw invalid("input is not valid JSON: " + e.getOriginalMessage() + " at line " + at.getLineNr()
                        + ", column " + at.getColumnNr());
            }
        } catch (IOException e) {
            throw invalid("input cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("input must be a JSON object with currentBlock, epsilon, temperature and models");
        }
        onlyKeys(root, "$", Set.of("currentBlock", "epsilon", "temperature", "models"));
        long currentBlock = wholeNumber(root.get("currentBlock"), "$.currentBlock");
        double temperature = number(root.get("temperature"), "$.temperature");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw invalid("$.temperature must be a positive number, got " + temperature);
        }
        EpsilonSchedule epsilon = epsilon(root.get("epsilon"));
        JsonNode models = root.get("models");
        if (models == null || !models.isArray()) {
            throw invalid("$.models must be an array of {uid, score, block}");
        }
        List<ModelEvaluation> evaluations = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            evaluations.add(model(models.get(i), "$.models[" + i + "]"));
        }
        return new StepInput(currentBlock, epsilon, temperature, evaluations);
    }

    private static EpsilonSchedule epsilon(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("$.epsilon must be {\"kind\": \"linear-decay\", \"start\", \"end\", \"decayBlocks\"}"
                    + " or {\"kind\": \"fixed\", \"value\"}");
        }
        JsonNode kind = node.get("kind");
        String name = kind == null || !kind.isTextual() ? "" : kind.asText();
        try {
            return switch (name) {
                case "fixed" -> {
                    onlyKeys(node, "$.epsilon", Set.of("kind", "value"));
                    yield EpsilonSchedule.fixed(number(node.get("value"), "$.epsilon.value"));
                }
                case "linear-decay" -> {
                    onlyKeys(node, "$.epsilon", Set.of("kind", "start", "end", "decayBlocks"));
                    yield EpsilonSchedule.linearDecay(
                            number(node.get("start"), "$.epsilon.start"),
                            number(node.get("end"), "$.epsilon.end"),
                            wholeNumber(node.get("decayBlocks"), "$.epsilon.decayBlocks"));
                }
                default -> throw invalid("$.epsilon.kind must be \"fixed\" or \"linear-decay\", got " + kind);
            };
        } catch (Pretrain4jException e) {
            if (e.getMessage().startsWith("$")) {
                throw e;
            }
            throw invalid("$.epsilon: " + e.getMessage());
        }
    }

    private static ModelEvaluation model(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path + " must be an object {uid, score, block}");
        }
        onlyKeys(node, path, Set.of("uid", "score", "block"));
        long uid = wholeNumber(node.get("uid"), path + ".uid");
        if (uid > 65535) {
            throw invalid(path + ".uid must be at most 65535, got " + uid);
        }
        double score = scoreOf(node.get("score"), path + ".score");
        JsonNode block = node.get("block");
        long blockValue = block != null && block.isTextual() && isInfinity(block.asText())
                ? ModelEvaluation.UNKNOWN_BLOCK
                : wholeNumber(block, path + ".block");
        return ModelEvaluation.of((int) uid, score, blockValue);
    }

    private static double scoreOf(JsonNode node, String path) {
        if (node != null && node.isTextual()) {
            String text = node.asText().trim().toLowerCase(Locale.ROOT);
            if (isInfinity(text) || text.equals("nan")) {
                return Double.POSITIVE_INFINITY;
            }
            throw invalid(path + " must be a loss (a finite number >= 0) or \"inf\"/\"nan\" for a failed model, got \""
                    + node.asText() + "\"");
        }
        // a loss below zero, or one that overflows (1e999, -1e999), would take all the weight: refused, not scored
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
            throw invalid(path + " must be a loss (a finite number >= 0) or \"inf\"/\"nan\" for a failed model, got "
                    + describe(node));
        }
        return node.asDouble();
    }

    private static boolean isInfinity(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        return lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity");
    }

    private static double number(JsonNode node, String path) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw invalid(path + " must be a finite number, got " + describe(node));
        }
        return node.asDouble();
    }

    private static long wholeNumber(JsonNode node, String path) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw invalid(path + " must be a whole number >= 0, got " + describe(node));
        }
        return node.asLong();
    }

    private static void onlyKeys(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid(path + " has unknown key \"" + name + "\"; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing (missing)";
        }
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static Pretrain4jException invalid(String message) {
        return new Pretrain4jException(DomainErrorCode.INVALID_SCORING_INPUT, message);
    }
}
