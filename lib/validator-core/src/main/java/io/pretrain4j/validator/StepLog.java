package io.pretrain4j.validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Secrets;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.validator.state.Row;
import io.pretrain4j.validator.state.StepReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The structured step log: one JSON object per line in {@code steps.jsonl}, with the fields the
 * reference logs to W&amp;B per step (REFERENCE.md 1.6), {@code original_format_json} included, so
 * that a run logger (W&amp;B or another plugin) can forward it as is.
 */
final class StepLog {
    static final String FILE = "steps.jsonl";
    private static final System.Logger LOG = System.getLogger(StepLog.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How much of the file's end is read to find the last step (a line is a few kB; 65,536 models about 10 MB). */
    private static final int TAIL_BYTES = 16 << 20;

    private final Path file;
    private long lastStep = Long.MIN_VALUE;
    private boolean opened;

    StepLog(Path file) {
        this.file = file;
    }

    /**
     * Appends one step's line ({@link #toJson}) unless the log already holds that step number or a
     * later one (a step published before a crash is not written twice); false when skipped. The
     * file is created owner-only; a line torn by a crash is cut off first.
     */
    boolean append(long step, String line) {
        try {
            open();
            if (step <= lastStep) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(
                        (Secrets.redact(line).replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            }
            lastStep = step;
            return true;
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot append to " + file + ": " + e, e);
        }
    }

    /** The highest step number in the log, or {@code Long.MIN_VALUE} when it is empty. */
    long lastStep() {
        try {
            open();
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot read " + file + ": " + e, e);
        }
        return lastStep;
    }

    /** Creates the file (0600) or finds its last whole line's step, cutting off a torn last line. */
    private void open() throws IOException {
        if (opened) {
            return;
        }
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            OwnerOnlyFiles.create(file).close();
        }
        OwnerOnlyFiles.restrict(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            int length = (int) Math.min(size, TAIL_BYTES);
            ByteBuffer tail = ByteBuffer.allocate(length);
            while (tail.hasRemaining() && channel.read(tail, size - length + tail.position()) >= 0) {
                // reads until full
            }
            byte[] bytes = tail.array();
            int end = length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < length) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: the last line was cut short by a crash ({1} bytes); removed",
                        file,
                        length - end);
                channel.truncate(size - length + end);
                channel.force(false);
            }
            int start = end - 1;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            if (end > 0 && start >= 0) {
                String last = new String(bytes, start, end - 1 - start, StandardCharsets.UTF_8);
                try {
                    lastStep = MAPPER.readTree(last).path("step").asLong(Long.MIN_VALUE);
                } catch (IOException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "{0}: the last line is not JSON ({1}); steps are appended after it",
                            file,
                            e.getMessage());
                }
            }
        }
        opened = true;
    }

    /** The step's fields, as the reference names them. */
    static ObjectNode toJson(
            StepReport report,
            double[] subnetWeights,
            List<Double> loadModel,
            List<Double> computeModel,
            List<Double> loadData) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("time", Instant.ofEpochMilli(report.timeMs()).toString());
        line.put("step", report.globalStep());
        line.put("step_competition_id", report.competitionId());
        line.put("block", report.block());
        ObjectNode uidData = line.putObject("uid_data");
        ObjectNode epsilon = line.putObject("uid_epsilon_adv");
        ObjectNode winRate = line.putObject("win_rate_data");
        ObjectNode winTotal = line.putObject("win_total_data");
        ObjectNode weight = line.putObject("weight_data");
        ObjectNode competitionWeight = line.putObject("competition_weight_data");
        ObjectNode competition = line.putObject("competition_id");
        for (Row row : report.rows()) {
            String uid = Integer.toString(row.uid());
            putScore(uidData, uid, row.score());
            epsilon.put(uid, row.epsilonAdvantage());
            winRate.put(uid, row.winRate());
            winTotal.put(uid, row.wins());
            weight.put(uid, row.uid() < subnetWeights.length ? subnetWeights[row.uid()] : 0.0);
            competitionWeight.put(uid, row.competitionWeight());
            competition.put(uid, report.competitionId());
            row.taskScores().forEach((task, value) -> {
                ObjectNode raw = line.has(task + ".raw_score")
                        ? (ObjectNode) line.get(task + ".raw_score")
                        : line.putObject(task + ".raw_score");
                putScore(raw, uid, value);
            });
        }
        line.set("load_model_perf", perf(loadModel));
        line.set("compute_model_perf", perf(computeModel));
        line.set("load_data_perf", perf(loadData));

        ObjectNode original = MAPPER.createObjectNode();
        original.put("timestamp", report.timeMs() / 1000.0);
        var pages = original.putArray("pages");
        report.pages().values().forEach(list -> list.forEach(pages::add));
        original.put("seed", report.seed());
        var uids = original.putArray("uids");
        ObjectNode perUid = original.putObject("uid_data");
        for (Row row : report.rows()) {
            uids.add(row.uid());
            ObjectNode data = perUid.putObject(Integer.toString(row.uid()));
            data.put("block", row.block());
            data.put("hf", row.repo());
            data.put("competition_id", report.competitionId());
            putScore(data, "average_loss", row.score());
            data.put("epsilon_adv", row.epsilonAdvantage());
            data.put("win_rate", row.winRate());
            data.put("win_total", row.wins());
            data.put("weight", row.stepWeight());
            data.put("norm_weight", row.uid() < subnetWeights.length ? subnetWeights[row.uid()] : 0.0);
            ObjectNode datasets = data.putObject("dataset_perf");
            row.taskScores().forEach((task, value) -> putScore(datasets.putObject(task), "average_loss", value));
        }
        line.put("original_format_json", original.toString());
        return line;
    }

    private static void putScore(ObjectNode node, String key, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private static ObjectNode perf(List<Double> samples) {
        ObjectNode node = MAPPER.createObjectNode();
        if (samples.isEmpty()) {
            return node;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        node.put("min", sorted.get(0));
        node.put("median", sorted.get(sorted.size() / 2));
        node.put("max", sorted.get(sorted.size() - 1));
        node.put("P90", sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.9 * sorted.size()) - 1)));
        return node;
    }
}
