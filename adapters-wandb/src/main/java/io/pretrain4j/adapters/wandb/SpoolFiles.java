package io.pretrain4j.adapters.wandb;

import static io.pretrain4j.adapters.wandb.WandbRunLogger.CURSOR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run logger's files: the spool ({@code pending.jsonl}, one step a line) read in batches,
 * counted, cut back to its last whole line after a crash, and turned into W&B history lines; and the
 * cursor ({@code cursor.json}: what was delivered, to which run), written atomically.
 */
final class SpoolFiles {
    private static final System.Logger LOG = System.getLogger(SpoolFiles.class.getName());

    /** The persisted position: spool offset delivered, and the run being written. */
    record Cursor(long offset, String runId, String runName, long linesInRun) {
        static final Cursor EMPTY = new Cursor(0, "", "", 0);
    }

    private SpoolFiles() {}

    /** Writes {@code cursor} to {@code cursorFile} through a synced temporary file and an atomic rename. */
    static void writeCursor(Path cursorFile, Cursor cursor) throws IOException {
        ObjectNode node = WandbHttp.MAPPER
                .createObjectNode()
                .put("format", 1)
                .put("offset", cursor.offset())
                .put("runId", cursor.runId())
                .put("runName", cursor.runName())
                .put("linesInRun", cursor.linesInRun());
        AtomicFiles.write(cursorFile, WandbHttp.MAPPER.writeValueAsBytes(node));
    }

    /** The cursor in {@code cursorFile}; an unreadable one is moved aside (with a warning) and the spool sent again from the start. */
    static Cursor readCursor(Path cursorFile, Clock clock) throws IOException {
        if (!Files.exists(cursorFile)) {
            return Cursor.EMPTY;
        }
        try {
            JsonNode node = WandbHttp.MAPPER.readTree(cursorFile.toFile());
            if (node == null
                    || node.path("format").asInt() != 1
                    || !node.path("offset").canConvertToLong()
                    || node.path("offset").asLong() < 0
                    || !node.path("runId").asText("").matches("[a-z0-9]{0,64}")
                    || node.path("linesInRun").asLong(-1) < 0) {
                throw new IOException("not a format-1 cursor");
            }
            return new Cursor(
                    node.path("offset").asLong(),
                    node.path("runId").asText(""),
                    node.path("runName").asText(""),
                    node.path("linesInRun").asLong());
        } catch (IOException e) {
            Path bad = cursorFile.resolveSibling(CURSOR + ".bad-" + clock.millis());
            Files.move(cursorFile, bad, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "W&B run log: " + cursorFile + " is unreadable ("
                            + WandbHttp.excerpt(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8))
                                    .replaceFirst("^: ", "")
                            + "); moved to " + bad
                            + ". The buffered steps are sent again from the start, to a new run");
            return Cursor.EMPTY;
        }
    }

    /** Lines from {@code offset} on, at most {@code maxLines} and about {@code maxBytes}. */
    static List<byte[]> readBatch(Path spool, long offset, int maxLines, int maxBytes) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "r")) {
            long size = file.length();
            long position = offset;
            int bytes = 0;
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            file.seek(position);
            while (position < size && lines.size() < maxLines && bytes < maxBytes) {
                int read = file.read(buffer, 0, (int) Math.min(buffer.length, size - position));
                if (read < 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    position++;
                    if (buffer[i] == '\n') {
                        byte[] line = current.toByteArray();
                        lines.add(line);
                        bytes += line.length + 1;
                        current.reset();
                        if (lines.size() >= maxLines || bytes >= maxBytes) {
                            break;
                        }
                    } else {
                        current.write(buffer[i]);
                    }
                }
            }
        }
        return lines;
    }

    /**
     * Cuts a last line a crash left without its newline (it would merge with the next step's line);
     * returns the spool's size after.
     */
    static long dropPartialTail(Path spool) throws IOException {
        if (!Files.exists(spool) || Files.size(spool) == 0) {
            return 0;
        }
        try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "rw")) {
            long end = file.length();
            long keep = end;
            while (keep > 0) {
                file.seek(keep - 1);
                if (file.read() == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < end) {
                file.setLength(keep);
                file.getFD().sync();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "W&B run log: dropped {0} byte(s) of a step cut short in {1} (the process stopped while"
                                + " buffering it; steps.jsonl has it)",
                        end - keep,
                        spool);
            }
            return keep;
        }
    }

    /** The highest {@code step} of the spool's lines ({@code Long.MIN_VALUE} when none is readable). */
    static long maxStep(Path spool) throws IOException {
        if (!Files.exists(spool)) {
            return Long.MIN_VALUE;
        }
        long max = Long.MIN_VALUE;
        try (BufferedReader reader = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                try {
                    JsonNode step = WandbHttp.MAPPER.readTree(line).path("step");
                    if (step.canConvertToLong()) {
                        max = Math.max(max, step.asLong());
                    }
                } catch (IOException e) {
                    // a line that is not JSON carries no step; it is sent (or skipped) as before
                }
            }
        }
        return max;
    }

    /** The step kept in {@code file} by {@link #writeLastStep}, or {@code Long.MIN_VALUE}. */
    static long readLastStep(Path file) {
        try {
            return Files.exists(file)
                    ? Long.parseLong(
                            Files.readString(file, StandardCharsets.UTF_8).trim())
                    : Long.MIN_VALUE;
        } catch (IOException | NumberFormatException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "W&B run log: " + file + " is unreadable (" + e.getMessage() + "); steps are taken as they come");
            return Long.MIN_VALUE;
        }
    }

    /** Keeps {@code step} in {@code file}, atomically. */
    static void writeLastStep(Path file, long step) throws IOException {
        if (step == Long.MIN_VALUE) {
            return;
        }
        AtomicFiles.writeString(file, Long.toString(step));
    }

    static long countLines(Path spool, long from) throws IOException {
        if (!Files.exists(spool)) {
            return 0;
        }
        long lines = 0;
        try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "r")) {
            file.seek(from);
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = file.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    /** A spooled step as a W&B history line: its JSON with {@code _step} and {@code _timestamp} (its {@code time}, else now). */
    static String historyLine(byte[] line, long historyStep, Clock clock) {
        ObjectNode node;
        try {
            JsonNode parsed = WandbHttp.MAPPER.readTree(line);
            node = parsed instanceof ObjectNode object
                    ? object
                    : WandbHttp.MAPPER.createObjectNode().put("value", new String(line, StandardCharsets.UTF_8));
        } catch (IOException e) {
            node = WandbHttp.MAPPER.createObjectNode().put("unreadable_step", new String(line, StandardCharsets.UTF_8));
        }
        Instant time = Optional.ofNullable(node.get("time"))
                .map(JsonNode::asText)
                .flatMap(SpoolFiles::instant)
                .orElse(clock.instant());
        node.put("_step", historyStep);
        node.put("_timestamp", time.toEpochMilli() / 1000.0);
        return node.toString();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Appends {@code line} (with its newline) to the spool, forced to disk. */
    static void append(Path spool, byte[] line) throws IOException {
        try (FileChannel channel = FileChannel.open(
                spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(false);
        }
    }

    /** Empties the spool (everything in it was delivered), forced to disk. */
    static void empty(Path spool) throws IOException {
        try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.force(true);
        }
    }

    /**
     * A spool reopened at start.
     *
     * @param spool the buffered lines
     * @param cursorFile where the delivery position is kept
     * @param cursor the delivery position, within the spool
     * @param pending lines not delivered yet
     * @param lastAccepted the highest step number ever taken
     */
    record Opened(Path spool, Path cursorFile, Cursor cursor, long pending, long lastAccepted) {}

    /** Opens the spool in {@code dir} (created if needed): a torn last line dropped, the cursor kept within it. */
    static Opened open(Path dir, String spoolName, String cursorName, String lastStepName, Clock clock)
            throws IOException {
        Files.createDirectories(dir);
        Path spool = dir.resolve(spoolName);
        Path cursorFile = dir.resolve(cursorName);
        Cursor cursor = readCursor(cursorFile, clock);
        long size = dropPartialTail(spool);
        if (cursor.offset() > size) {
            cursor = new Cursor(0, cursor.runId(), cursor.runName(), cursor.linesInRun());
        }
        long lastAccepted = Math.max(readLastStep(dir.resolve(lastStepName)), maxStep(spool));
        return new Opened(spool, cursorFile, cursor, countLines(spool, cursor.offset()), lastAccepted);
    }
}
