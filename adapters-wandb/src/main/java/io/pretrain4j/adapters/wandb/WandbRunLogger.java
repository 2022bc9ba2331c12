package io.pretrain4j.adapters.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.ports.runlog.RunLogger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * {@code wandb}: a validator's steps as the history of W&amp;B runs, as the reference logs them
 * (REFERENCE.md 1.6): a run {@code validator-<uid>-<YYYY-mm-dd_HH-MM-SS>} in
 * {@code <entity>/<project>} with the config {@code uid, hotkey, run_name, version,
 * "validator version", type = validator}, one history line per step with every field of the step
 * log ({@code original_format_json} included), and a new run every {@code steps-per-run} steps.
 *
 * <p>Never in the validator's way: {@link #log} appends the step to a spool file
 * ({@code <buffer>/pending.jsonl}, fsynced) and returns; one sender thread creates runs
 * ({@code UpsertBucket}) and posts history to the run's {@code file_stream} endpoint, advancing a
 * cursor ({@code <buffer>/cursor.json}, written atomically) only after W&amp;B accepted the lines.
 * While W&amp;B fails it retries with backoff and logs one warning per outage and one line when it
 * recovers. A step posted twice (a crash between delivery and the cursor write) lands on the same
 * history offset, which W&amp;B overwrites, so nothing is lost or doubled. The spool is emptied
 * whenever everything is delivered; past {@code max-buffer-bytes} new steps are dropped (and
 * counted) rather than filling the disk; {@code steps.jsonl} keeps them anyway.
 */
final class WandbRunLogger implements RunLogger {
    private static final System.Logger LOG = System.getLogger(WandbRunLogger.class.getName());
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss").withZone(ZoneOffset.UTC);
    static final String SPOOL = "pending.jsonl";
    static final String CURSOR = "cursor.json";
    private static final int BATCH_LINES = 32;
    private static final int BATCH_BYTES = 8 << 20;

    /** What the logger was told to do. */
    record Settings(String entity, String project, int stepsPerRun, long maxBufferBytes, Duration flushTimeout, Duration retryDelay,
            Duration maxRetryDelay) {}

    /** The persisted position: spool offset delivered, and the run being written. */
    private record Cursor(long offset, String runId, String runName, long linesInRun) {
        static final Cursor EMPTY = new Cursor(0, "", "", 0);
    }

    private final WandbApi api;
    private final Settings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile String lastError;
    private volatile boolean stopping;
    private RunInfo run;
    private Path spool;
    private Path cursorFile;
    private Cursor cursor = Cursor.EMPTY;
    private boolean runResumed;
    private Thread sender;

    WandbRunLogger(WandbApi api, Settings settings, Clock clock) {
        this.api = requireNonNull(api, "api is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String id() {
        return "wandb:" + api.http().settings.baseUrl() + "/" + settings.entity() + "/" + settings.project();
    }

    @Override
    public void start(RunInfo info) {
        lock.lock();
        try {
            if (run != null) {
                throw new IllegalStateException("the run logger is already started");
            }
            run = requireNonNull(info, "info is null");
            Path dir = info.bufferDirectory();
            Files.createDirectories(dir);
            spool = dir.resolve(SPOOL);
            cursorFile = dir.resolve(CURSOR);
            cursor = readCursor();
            long size = dropPartialTail();
            if (cursor.offset() > size) {
                cursor = new Cursor(0, cursor.runId(), cursor.runName(), cursor.linesInRun());
            }
            pending.set(countLines(cursor.offset()));
            if (pending.get() > 0) {
                LOG.log(System.Logger.Level.INFO, "W&B run log: {0} step(s) buffered by an earlier run of the validator are sent first ({1})",
                        pending.get(), dir);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "W&B run log: cannot use the buffer directory " + info.bufferDirectory() + " (" + e
                    + "); steps will not be sent to W&B");
            spool = null;
            return;
        } finally {
            lock.unlock();
        }
        sender = new Thread(this::send, "wandb-run-logger");
        sender.setDaemon(true);
        sender.start();
        LOG.log(System.Logger.Level.INFO, "W&B run log: {0}/{1}, a new run every {2} steps", settings.entity(), settings.project(),
                settings.stepsPerRun());
    }

    @Override
    public void log(long step, String json) {
        lock.lock();
        try {
            if (spool == null) {
                dropped.incrementAndGet();
                return;
            }
            byte[] line = (json.replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8);
            long size = Files.exists(spool) ? Files.size(spool) : 0;
            if (size - cursor.offset() + line.length > settings.maxBufferBytes()) {
                if (dropped.getAndIncrement() == 0) {
                    LOG.log(System.Logger.Level.WARNING, "W&B run log: the buffer is full ({0} bytes); step {1} and later ones are not sent"
                            + " until W&B takes the buffered steps (steps.jsonl keeps them all)", settings.maxBufferBytes(), step);
                }
                return;
            }
            try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap(line));
                channel.force(false);
            }
            pending.incrementAndGet();
            changed.signalAll();
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "W&B run log: cannot buffer step " + step + ": " + e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Status status() {
        return new Status(pending.get(), delivered.get(), dropped.get(), pending.get() > 0 ? Optional.ofNullable(lastError) : Optional.empty());
    }

    /** The sender thread: delivers the spool in order, forever, with backoff while W&B fails. */
    private void send() {
        Duration backoff = settings.retryDelay();
        long outageStarted = 0;
        while (true) {
            List<byte[]> batch;
            lock.lock();
            try {
                while (pending.get() == 0 && !stopping) {
                    changed.await();
                }
                if (pending.get() == 0) {
                    return;
                }
                batch = readBatch();
                if (batch.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "W&B run log: {0} step(s) counted but none readable in {1}; recounting", pending.get(), spool);
                    pending.set(countLines(cursor.offset()));
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "W&B run log: cannot read the buffer " + spool + ": " + e + "; not sending more");
                return;
            } finally {
                lock.unlock();
            }
            try {
                deliver(batch);
                backoff = settings.retryDelay();
                if (outageStarted != 0) {
                    LOG.log(System.Logger.Level.INFO, "W&B run log: W&B answers again after {0} s; sending the buffered steps ({1} left)",
                            (System.nanoTime() - outageStarted) / 1_000_000_000L, pending.get());
                    outageStarted = 0;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                if (e instanceof WandbHttp.RejectedException rejected && List.of(400, 404, 409, 410).contains(rejected.status())) {
                    abandonRun(lastError);
                }
                if (outageStarted == 0) {
                    outageStarted = System.nanoTime();
                    LOG.log(System.Logger.Level.WARNING, "W&B run log: sending failed ({0}); {1} step(s) kept in {2}, retrying every {3} ms at most",
                            lastError, pending.get(), spool, settings.maxRetryDelay().toMillis());
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "W&B run log: still failing: {0}", lastError);
                }
                lock.lock();
                try {
                    if (stopping) {
                        return;
                    }
                    changed.await(backoff.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (stopping) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                } finally {
                    lock.unlock();
                }
                backoff = WandbHttp.doubled(backoff, settings.maxRetryDelay());
            }
        }
    }

    /**
     * W&amp;B refused the run's history for good (the run was deleted, or its history does not have
     * the lines the cursor counts): the buffered steps go to a new run.
     */
    private void abandonRun(String why) {
        lock.lock();
        try {
            if (!cursor.runId().isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "W&B run log: W&B refused run {0} ({1}); the buffered steps go to a new run",
                        cursor.runName(), why);
                persist(new Cursor(cursor.offset(), "", "", 0));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lines from the cursor on, at most a batch; under the lock. */
    private List<byte[]> readBatch() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "r")) {
            long size = file.length();
            long position = cursor.offset();
            int bytes = 0;
            java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            file.seek(position);
            while (position < size && lines.size() < BATCH_LINES && bytes < BATCH_BYTES) {
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
                        if (lines.size() >= BATCH_LINES || bytes >= BATCH_BYTES) {
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

    /** Sends a batch to the current run (rotating runs as needed) and advances the cursor. */
    private void deliver(List<byte[]> batch) {
        int index = 0;
        while (index < batch.size()) {
            Cursor at = ensureRun();
            int room = (int) Math.min(batch.size() - index, settings.stepsPerRun() - at.linesInRun());
            List<String> content = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < room; i++) {
                byte[] line = batch.get(index + i);
                bytes += line.length + 1;
                content.add(historyLine(line, at.linesInRun() + i));
            }
            ObjectNode body = WandbHttp.MAPPER.createObjectNode();
            ObjectNode files = body.putObject("files");
            ObjectNode history = files.putObject("wandb-history.jsonl");
            history.put("offset", at.linesInRun());
            content.forEach(history.putArray("content")::add);
            ObjectNode summary = files.putObject("wandb-summary.json");
            summary.put("offset", 0);
            summary.putArray("content").add(content.get(content.size() - 1));
            api.http().postJson("W&B history of run " + at.runId(), fileStream(at.runId()), body);
            advance(new Cursor(at.offset() + bytes, at.runId(), at.runName(), at.linesInRun() + room), room);
            index += room;
        }
    }

    /** The run to write to: the persisted one (resumed once per process) or a new one when full or absent. */
    private Cursor ensureRun() {
        Cursor at = cursor;
        if (!at.runId().isEmpty() && at.linesInRun() >= settings.stepsPerRun()) {
            finish(at);
            at = new Cursor(at.offset(), "", "", 0);
            persist(at);
        }
        if (at.runId().isEmpty()) {
            String runId = WandbApi.randomId(WandbApi.RUN_ID_ALPHABET, 8);
            String runName = "validator-" + run.uid() + "-" + RUN_TIME.format(clock.instant());
            api.upsertRun(settings.entity(), settings.project(), runId, runName, config(runName));
            at = new Cursor(at.offset(), runId, runName, 0);
            persist(at);
            runResumed = true;
            LOG.log(System.Logger.Level.INFO, "W&B run log: started run {0} ({1}/{2}/{3})", runName, settings.entity(), settings.project(), runId);
        } else if (!runResumed) {
            api.upsertRun(settings.entity(), settings.project(), at.runId(), at.runName(), config(at.runName()));
            runResumed = true;
            LOG.log(System.Logger.Level.INFO, "W&B run log: resuming run {0} at history line {1}", at.runName(), at.linesInRun());
        }
        return at;
    }

    private Map<String, Object> config(String runName) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("uid", run.uid());
        config.put("hotkey", run.hotkey());
        config.put("run_name", runName);
        config.put("version", run.versionKey());
        config.put("validator version", run.softwareVersion());
        config.put("type", "validator");
        return config;
    }

    private void finish(Cursor at) {
        ObjectNode body = WandbHttp.MAPPER.createObjectNode().put("complete", true).put("exitcode", 0);
        api.http().postJson("W&B finishing run " + at.runId(), fileStream(at.runId()), body);
        LOG.log(System.Logger.Level.INFO, "W&B run log: run {0} finished after {1} steps", at.runName(), at.linesInRun());
    }

    private URI fileStream(String runId) {
        return api.http().resolve("/files/" + settings.entity() + "/" + settings.project() + "/" + runId + "/file_stream");
    }

    private String historyLine(byte[] line, long historyStep) {
        ObjectNode node;
        try {
            JsonNode parsed = WandbHttp.MAPPER.readTree(line);
            node = parsed instanceof ObjectNode object ? object : WandbHttp.MAPPER.createObjectNode().put("value", new String(line, StandardCharsets.UTF_8));
        } catch (IOException e) {
            node = WandbHttp.MAPPER.createObjectNode().put("unreadable_step", new String(line, StandardCharsets.UTF_8));
        }
        Instant time = Optional.ofNullable(node.get("time")).map(JsonNode::asText).flatMap(WandbRunLogger::instant).orElse(clock.instant());
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

    /** Records a delivery; empties the spool once everything in it is delivered. */
    private void advance(Cursor next, int lines) {
        lock.lock();
        try {
            cursor = next;
            pending.addAndGet(-lines);
            delivered.addAndGet(lines);
            try {
                if (next.offset() >= Files.size(spool)) {
                    try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE)) {
                        channel.truncate(0);
                        channel.force(true);
                    }
                    cursor = new Cursor(0, next.runId(), next.runName(), next.linesInRun());
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "W&B run log: cannot empty " + spool + ": " + e);
            }
            persist(cursor);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void persist(Cursor next) {
        lock.lock();
        try {
            cursor = next;
            ObjectNode node = WandbHttp.MAPPER.createObjectNode().put("format", 1).put("offset", next.offset()).put("runId", next.runId())
                    .put("runName", next.runName()).put("linesInRun", next.linesInRun());
            Path temp = cursorFile.resolveSibling(CURSOR + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(WandbHttp.MAPPER.writeValueAsBytes(node)));
                channel.force(true);
            }
            Files.move(temp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "W&B run log: cannot write " + cursorFile + " (" + e + "); steps may be sent again after a restart");
        } finally {
            lock.unlock();
        }
    }

    private Cursor readCursor() throws IOException {
        if (!Files.exists(cursorFile)) {
            return Cursor.EMPTY;
        }
        try {
            JsonNode node = WandbHttp.MAPPER.readTree(cursorFile.toFile());
            if (node == null || node.path("format").asInt() != 1 || !node.path("offset").canConvertToLong() || node.path("offset").asLong() < 0
                    || !node.path("runId").asText("").matches("[a-z0-9]{0,64}") || node.path("linesInRun").asLong(-1) < 0) {
                throw new IOException("not a format-1 cursor");
            }
            return new Cursor(node.path("offset").asLong(), node.path("runId").asText(""), node.path("runName").asText(""),
                    node.path("linesInRun").asLong());
        } catch (IOException e) {
            Path bad = cursorFile.resolveSibling(CURSOR + ".bad-" + clock.millis());
            Files.move(cursorFile, bad, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.WARNING, "W&B run log: " + cursorFile + " is unreadable (" + WandbHttp.excerpt(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8)).replaceFirst("^: ", "")
                    + "); moved to " + bad
                    + ". The buffered steps are sent again from the start, to a new run");
            return Cursor.EMPTY;
        }
    }

    /**
     * Cuts a last line a crash left without its newline (it would merge with the next step's line);
     * returns the spool's size after.
     */
    private long dropPartialTail() throws IOException {
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
                LOG.log(System.Logger.Level.WARNING, "W&B run log: dropped {0} byte(s) of a step cut short in {1} (the process stopped while"
                        + " buffering it; steps.jsonl has it)", end - keep, spool);
            }
            return keep;
        }
    }

    private long countLines(long from) throws IOException {
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

    @Override
    public void close() {
        Thread thread = sender;
        if (thread != null) {
            long deadline = System.nanoTime() + settings.flushTimeout().toNanos();
            lock.lock();
            try {
                while (pending.get() > 0 && System.nanoTime() < deadline && lastError == null) {
                    changed.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                stopping = true;
                changed.signalAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            } finally {
                lock.unlock();
            }
            try {
                thread.join(Math.max(100, settings.flushTimeout().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
            if (pending.get() > 0) {
                LOG.log(System.Logger.Level.WARNING, "W&B run log: {0} step(s) not sent yet; they stay in {1} and are sent at the next start",
                        pending.get(), spool);
            }
        }
        api.http().close();
    }
}
