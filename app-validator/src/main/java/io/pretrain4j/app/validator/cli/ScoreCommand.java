package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.ModelEvaluation;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringTime;
import io.pretrain4j.domain.scoring.StepScore;
import io.pretrain4j.launcher.cli.CliJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code score --input step.json}: one competition's scoring step with the reference policy, printed
 * as JSON. How operators audit a step and how other implementations are compared with ours. A JSON
 * Lines input (one step object per line) is scored line by line in one process, each result printed
 * as one compact line in input order; a bad line prints {@code {"line": n, "error": "..."}} and the
 * others are still scored (exit 2 when any line was bad).
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores one competition step like the reference validator and prints",
            "{competitiveUids, wins, winRates, weights} as JSON. Use '-' to read stdin.",
            "Weights are softmax(winRate / temperature) over all input uids; they are {} when",
            "no model is competitive (the reference crashes there and sets nothing).",
            "JSON Lines input (one step per line): one compact result per line, in input order,",
            "each with its \"line\" number; a bad line gives {\"line\": n, \"error\": ...} and the rest",
            "are still scored (exit 2 if any line was bad)."
        })
public final class ScoreCommand implements Callable<Integer> {
    /** The launchers' indented JSON ({@link CliJson}). */
    static final JsonMapper MAPPER = CliJson.JSON;

    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "<step.json>", description = "the step, or '-' for stdin")
    private String input;

    @Override
    public Integer call() {
        String text = read(input);
        if (!StepInput.isJsonLines(text)) {
            StepInput step = StepInput.parse(text);
            print(out(), step, score(step));
            return 0;
        }
        PrintWriter out = out();
        boolean failed = false;
        int number = 0;
        for (String line : text.split("\r?\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            ObjectNode result;
            try {
                StepInput step = StepInput.parse(line);
                result = result(step, score(step));
                result = COMPACT.createObjectNode().put("line", number).setAll(result);
            } catch (Pretrain4jException e) {
                failed = true;
                result = COMPACT.createObjectNode().put("line", number).put("error", e.getMessage());
            }
            try {
                out.println(COMPACT.writeValueAsString(result));
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise the result of line " + number, e);
            }
        }
        out.flush();
        return failed ? 2 : 0;
    }

    static StepScore score(StepInput step) {
        return new ReferenceScoringPolicy(step.temperature(), ReferenceScoringPolicy.ALPHA)
                .score(ScoringTime.block(step.currentBlock()), step.epsilon(), step.models());
    }

    static void print(PrintWriter out, StepInput step, StepScore score) {
        try {
            out.println(MAPPER.writeValueAsString(result(step, score)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the step result", e);
        }
    }

    static ObjectNode result(StepInput step, StepScore score) {
        ObjectNode root = MAPPER.createObjectNode();
        score.competitiveUids().forEach(root.putArray("competitiveUids")::add);
        ObjectNode wins = root.putObject("wins");
        ObjectNode winRates = root.putObject("winRates");
        ObjectNode weights = root.putObject("weights");
        for (ModelEvaluation model : step.models()) {
            String uid = Integer.toString(model.uid());
            if (score.wins().containsKey(model.uid())) {
                wins.put(uid, score.wins().get(model.uid()));
                winRates.put(uid, score.winRates().get(model.uid()));
            }
            if (score.weights().containsKey(model.uid())) {
                weights.put(uid, score.weights().get(model.uid()));
            }
        }
        return root;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The largest input read: a step of 65,536 models is about 5 MB; JSON Lines of many steps fit well below this. */
    static final int MAX_INPUT_BYTES = 256 << 20;

    static String read(String input) {
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input))) {
            byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
            if (bytes.length > MAX_INPUT_BYTES) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_SCORING_INPUT,
                        (input.equals("-") ? "stdin" : input) + " holds more than " + (MAX_INPUT_BYTES >> 20)
                                + " MB; split it into JSON Lines files");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_SCORING_INPUT, "cannot read " + input + ": not UTF-8 text (" + e + ")");
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_SCORING_INPUT, "cannot read " + input + ": " + e);
        }
    }
}
