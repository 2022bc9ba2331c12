package io.pretrain4j.app.miner.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.eval.TextLoss;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The training loop: batches from {@link TrainingData} (epoch after epoch), gradient accumulation,
 * the learning-rate schedule, clipping, a progress line and a JSON log line per interval,
 * held-out evaluation of the model as saved (so the loss is the one validators will compute),
 * checkpoints that resume exactly, and the final model in the Hugging Face layout.
 */
public final class Trainer {
    /** The checkpoint's training position, written last: a checkpoint without it is incomplete. */
    public static final String POSITION_FILE = "trainer.json";
    /** The optimizer's moments in a checkpoint. */
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP_CHECKPOINTS = 2;

    /** Where training stands: optimizer steps done, the epoch and the next window in it. */
    public record Position(long step, long epoch, int window) {
        public static final Position START = new Position(0, 0, 0);
    }

    /**
     * What a run did.
     *
     * @param output the final model directory
     * @param firstHeldOutLoss the held-out loss before training (at the starting step)
     * @param finalHeldOutLoss the held-out loss of the saved final model
     * @param tokensPerSecond training throughput over the run
     * @param steps optimizer steps taken in this run
     */
    public record Result(
            Path output, double firstHeldOutLoss, double finalHeldOutLoss, double tokensPerSecond, long steps) {}

    private final TrainOptions options;
    private final TrainingData data;
    private final InferenceBackend inference;
    private final Path modelDir;
    private final PrintWriter out;

    public Trainer(
            TrainOptions options, TrainingData data, InferenceBackend inference, Path modelDir, PrintWriter out) {
        this.options = options;
        this.data = data;
        this.inference = inference;
        this.modelDir = modelDir;
        this.out = out;
    }

    /** Trains {@code model} from {@code position} to {@code options.steps()}. */
    public Result run(TrainableModel model, Position position) {
        try {
            Files.createDirectories(modelDir);
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot create " + modelDir + ": " + e, e);
        }
        Path log = modelDir.resolve("train-log.jsonl");
        double firstLoss = heldOutLoss(model);
        say(String.format(
                "held-out loss at step %d: %.4f (%d windows of %d tokens from pages %s)",
                position.step(),
                firstLoss,
                data.heldOut().windows().size(),
                data.heldOut().windows().get(0).length,
                data.heldOutPages()));
        logLine(log, position.step(), position.epoch(), Double.NaN, Double.NaN, Double.NaN, 0, firstLoss);

        long epoch = position.epoch();
        int cursor = position.window();
        List<int[]> windows = data.epoch(epoch);
        long step = position.step();
        long startStep = step;
        long tokens = 0;
        long started = System.nanoTime();
        long intervalStarted = started;
        long intervalTokens = 0;
        double intervalLoss = 0;
        int intervalPasses = 0;
        while (step < options.steps()) {
            double stepLoss = 0;
            for (int pass = 0; pass < options.accumulation(); pass++) {
                if (cursor + options.batchSize() > windows.size()) {
                    epoch++;
                    cursor = 0;
                    windows = data.epoch(epoch);
                    if (windows.size() < options.batchSize()) {
                        throw new Pretrain4jException(
                                PortErrorCode.INVALID_CONFIG,
                                "epoch " + epoch + " has " + windows.size() + " windows, fewer than a batch of "
                                        + options.batchSize() + "; draw more pages per epoch");
                    }
                }
                List<int[]> batch = windows.subList(cursor, cursor + options.batchSize());
                cursor += options.batchSize();
                stepLoss += model.accumulate(batch, 1.0 / options.accumulation());
                long batchTokens = (long) batch.size() * batch.get(0).length;
                tokens += batchTokens;
                intervalTokens += batchTokens;
            }
            step++;
            double learningRate = options.schedule().at(step);
            double norm = model.step(options.optimizer(), learningRate, options.maxGradNorm());
            intervalLoss += stepLoss / options.accumulation();
            intervalPasses++;
            boolean last = step == options.steps();
            if (step % options.logEvery() == 0 || last) {
                long now = System.nanoTime();
                double seconds = (now - intervalStarted) / 1e9;
                double tokensPerSecond = intervalTokens / seconds;
                double stepsPerSecond = intervalPasses / seconds;
                double eta = (options.steps() - step) / Math.max(stepsPerSecond, 1e-9);
                double meanLoss = intervalLoss / intervalPasses;
                double heldOut = Double.NaN;
                if (options.evalEvery() > 0 && step % options.evalEvery() == 0 && !last) {
                    heldOut = heldOutLoss(model);
                }
                say(String.format(
                        "step %d/%d  loss %.4f  lr %.2e  |g| %.3f  %,.0f tokens/s  %.2f steps/s  ETA %s%s",
                        step,
                        options.steps(),
                        meanLoss,
                        learningRate,
                        norm,
                        tokensPerSecond,
                        stepsPerSecond,
                        formatDuration(eta),
                        Double.isNaN(heldOut) ? "" : String.format(Locale.ROOT, "  held-out %.4f", heldOut)));
                logLine(log, step, epoch, meanLoss, learningRate, norm, tokensPerSecond, heldOut);
                intervalStarted = System.nanoTime();
                intervalTokens = 0;
                intervalLoss = 0;
                intervalPasses = 0;
            } else if (options.evalEvery() > 0 && step % options.evalEvery() == 0) {
                double heldOut = heldOutLoss(model);
                say(String.format(Locale.ROOT, "step %d: held-out loss %.4f", step, heldOut));
                logLine(log, step, epoch, Double.NaN, learningRate, norm, 0, heldOut);
            }
            if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0 && !last) {
                checkpoint(model, new Position(step, epoch, cursor));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        model.save(options.output(), options.saveDtype());
        double finalLoss = evaluate(options.output());
        say(String.format(
                "saved %s (%s); held-out loss %.4f (was %.4f at step %d)",
                options.output(), options.saveDtype(), finalLoss, firstLoss, startStep));
        logLine(log, step, epoch, Double.NaN, Double.NaN, Double.NaN, tokens / Math.max(seconds, 1e-9), finalLoss);
        return new Result(options.output(), firstLoss, finalLoss, tokens / Math.max(seconds, 1e-9), step - startStep);
    }

    /** The held-out loss of the model as it would be saved, computed by the validator's inference backend. */
    private double heldOutLoss(TrainableModel model) {
        Path scratch = modelDir.resolve(".held-out-model");
        model.save(scratch, options.saveDtype());
        try {
            return evaluate(scratch);
        } finally {
            deleteTree(scratch);
        }
    }

    private double evaluate(Path directory) {
        try (CausalLanguageModel loaded = inference.load(directory)) {
            return TextLoss.taskValue(loaded.windowLosses(data.heldOut().windows()));
        }
    }

    /** Writes a checkpoint ({@code checkpoints/step-N}) and keeps the newest {@value #KEEP_CHECKPOINTS}. */
    private void checkpoint(TrainableModel model, Position position) {
        Path dir = modelDir.resolve("checkpoints").resolve(String.format(Locale.ROOT, "step-%08d", position.step()));
        model.save(dir, SafetensorsDType.F32);
        model.saveOptimizer(dir.resolve(OPTIMIZER_FILE));
        ObjectNode node = JSON.createObjectNode()
                .put("step", position.step())
                .put("epoch", position.epoch())
                .put("window", position.window());
        writeAtomically(dir.resolve(POSITION_FILE), node.toString() + "\n");
        say("checkpoint " + dir);
        try (Stream<Path> listing = Files.list(dir.getParent())) {
            List<Path> all = new ArrayList<>(
                    listing.filter(p -> p.getFileName().toString().startsWith("step-"))
                            .sorted()
                            .toList());
            for (int i = 0; i < all.size() - KEEP_CHECKPOINTS; i++) {
                deleteTree(all.get(i));
            }
        } catch (IOException e) {
            say("warning: cannot prune old checkpoints: " + e.getMessage());
        }
    }

    /** Reads a checkpoint's position; fails clearly on an incomplete or damaged one. */
    public static Position readPosition(Path checkpoint) {
        Path file = checkpoint.resolve(POSITION_FILE);
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null
                    || !node.path("step").canConvertToLong()
                    || !node.path("epoch").canConvertToLong()
                    || !node.path("window").canConvertToInt()
                    || node.get("step").asLong() < 0) {
                throw new IOException("expected {\"step\", \"epoch\", \"window\"}");
            }
            return new Position(
                    node.get("step").asLong(),
                    node.get("epoch").asLong(),
                    node.get("window").asInt());
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    checkpoint + " is not a complete checkpoint (" + file + ": " + e.getMessage() + ")",
                    e);
        }
    }

    private void logLine(
            Path log,
            long step,
            long epoch,
            double loss,
            double learningRate,
            double norm,
            double tokensPerSecond,
            double heldOut) {
        ObjectNode node = JSON.createObjectNode()
                .put("time", Instant.now().toString())
                .put("step", step)
                .put("epoch", epoch);
        putNumber(node, "loss", loss);
        putNumber(node, "lr", learningRate);
        putNumber(node, "grad_norm", norm);
        putNumber(node, "tokens_per_s", tokensPerSecond);
        putNumber(node, "held_out_loss", heldOut);
        try {
            Files.writeString(
                    log,
                    node.toString() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            say("warning: cannot append to " + log + ": " + e.getMessage());
        }
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value) && !(key.equals("tokens_per_s") && value == 0)) {
            node.put(key, value);
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    static String formatDuration(double seconds) {
        Duration d = Duration.ofSeconds((long) Math.ceil(Math.min(seconds, 1e9)));
        return d.toHours() > 0
                ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static void writeAtomically(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot write " + file + ": " + e, e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot delete " + root + ": " + e, e);
        }
    }
}
