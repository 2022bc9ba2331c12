package io.pretrain4j.adapters.wandb;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

import io.pretrain4j.adapters.wandb.SpoolFiles.Cursor;
import io.pretrain4j.ports.runlog.RunLogger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss").withZone(ZoneOffset.UTC);
    static final String SPOOL = "pending.jsonl";
    static final String CURSOR = "cursor.json";
    /** The highest step taken, kept when the spool is emptied (the spool's own lines say it otherwise). */
    static final String LAST_STEP = "last-step";

    private static final int BATCH_LINES = 32;
    private static final int BATCH_BYTES = 8 << 20;

    private final WandbApi api;
    private final RunStream stream;
    private final WandbRunLogConfig settings;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile String lastError;
    private volatile boolean stopping;
    /** The highest step number taken into the spool; {@link #log} ignores a step at or below it. */
    private long lastAccepted = Long.MIN_VALUE;

    private RunInfo run;
    private Path spool;
    private Path cursorFile;
    private Cursor cursor = Cursor.EMPTY;
    private boolean runResumed;
    private Thread sender;

    WandbRunLogger(WandbApi api, WandbRunLogConfig settings, Clock clock) {
        this.api = requireNonNull(api, "api is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.stream = new RunStream(api, settings.entity(), settings.project());
        // the logger retries without end: a zero delay would spin
        this.retryDelay = settings.http().retryDelay().isZero()
                ? Duration.ofMillis(100)
                : settings.http().retryDelay();
        this.maxRetryDelay = settings.http().maxRetryDelay().isZero()
                ? Duration.ofSeconds(1)
                : settings.http().maxRetryDelay();
    }

    @Override
    public String id() {
        return "wandb:" + api.http().settings.endpoint() + "/" + settings.entity() + "/" + settings.project();
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
            SpoolFiles.Opened opened = SpoolFiles.open(dir, SPOOL, CURSOR, LAST_STEP, clock);
            spool = opened.spool();
            cursorFile = opened.cursorFile();
            cursor = opened.cursor();
            pending.set(opened.pending());
            lastAccepted = opened.lastAccepted();
            if (pending.get() > 0) {
                LOG.log(
                        INFO,
                        "W&B run log: {0} step(s) buffered by an earlier run of the validator are sent first ({1})",
                        pending.get(),
                        dir);
            }
        } catch (IOException e) {
            LOG.log(
                    WARNING,
                    "W&B run log: cannot use the buffer directory " + info.bufferDirectory() + " (" + e
                            + "); steps will not be sent to W&B");
            spool = null;
            return;
        } finally {
            lock.unlock();
        }
        sender = new Thread(this::send, "wandb-run-logger");
        sender.setDaemon(true);
        sender.start();
        LOG.log(
                INFO,
                "W&B run log: {0}/{1}, a new run every {2} steps",
                settings.entity(),
                settings.project(),
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
            if (step <= lastAccepted) {
                // the validator publishes a step again after a crash between logging and recording it
                LOG.log(
                        DEBUG,
                        "W&B run log: step {0} was taken already (last {1}); not sent twice",
                        step,
                        lastAccepted);
                return;
            }
            byte[] line = (json.replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8);
            long size = Files.exists(spool) ? Files.size(spool) : 0;
            if (size - cursor.offset() + line.length > settings.maxBufferBytes()) {
                if (dropped.getAndIncrement() == 0) {
                    LOG.log(
                            WARNING,
                            "W&B run log: the buffer is full ({0} bytes); step {1} and later ones are not sent"
                                    + " until W&B takes the buffered steps (steps.jsonl keeps them all)",
                            settings.maxBufferBytes(),
                            step);
                }
                return;
            }
            SpoolFiles.append(spool, line);
            lastAccepted = step;
            pending.incrementAndGet();
            changed.signalAll();
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            LOG.log(WARNING, "W&B run log: cannot buffer step " + step + ": " + e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Status status() {
        return new Status(
                pending.get(),
                delivered.get(),
                dropped.get(),
                pending.get() > 0 ? Optional.ofNullable(lastError) : Optional.empty());
    }

    /** The sender thread: delivers the spool in order, forever, with backoff while W&B fails. */
    private void send() {
        Duration backoff = retryDelay;
        SendOutage outage = new SendOutage();
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
                batch = SpoolFiles.readBatch(spool, cursor.offset(), BATCH_LINES, BATCH_BYTES);
                if (batch.isEmpty()) {
                    LOG.log(
                            WARNING,
                            "W&B run log: {0} step(s) counted but none readable in {1}; recounting",
                            pending.get(),
                            spool);
                    pending.set(SpoolFiles.countLines(spool, cursor.offset()));
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.log(WARNING, "W&B run log: cannot read the buffer " + spool + ": " + e + "; not sending more");
                return;
            } finally {
                lock.unlock();
            }
            try {
                deliver(batch);
                backoff = retryDelay;
                outage.over(pending.get());
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                if (e instanceof WandbHttp.RejectedException rejected
                        && List.of(400, 404, 409, 410).contains(rejected.status())) {
                    abandonRun(lastError);
                }
                outage.failed(lastError, pending.get(), spool, maxRetryDelay);
                lock.lock();
                try {
                    if (stopping) {
                        return;
                    }
                    changed.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
                    if (stopping) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                } finally {
                    lock.unlock();
                }
                backoff = WandbHttp.doubled(backoff, maxRetryDelay);
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
                LOG.log(
                        WARNING,
                        "W&B run log: W&B refused run {0} ({1}); the buffered steps go to a new run",
                        cursor.runName(),
                        why);
                persist(new Cursor(cursor.offset(), "", "", 0));
            }
        } finally {
            lock.unlock();
        }
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
                content.add(SpoolFiles.historyLine(line, at.linesInRun() + i, clock));
            }
            stream.history(at.runId(), at.linesInRun(), content);
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
            stream.upsert(runId, runName, run);
            at = new Cursor(at.offset(), runId, runName, 0);
            persist(at);
            runResumed = true;
            LOG.log(
                    INFO,
                    "W&B run log: started run {0} ({1}/{2}/{3})",
                    runName,
                    settings.entity(),
                    settings.project(),
                    runId);
        } else if (!runResumed) {
            stream.upsert(at.runId(), at.runName(), run);
            runResumed = true;
            LOG.log(INFO, "W&B run log: resuming run {0} at history line {1}", at.runName(), at.linesInRun());
        }
        return at;
    }

    private void finish(Cursor at) {
        stream.finish(at.runId());
        LOG.log(INFO, "W&B run log: run {0} finished after {1} steps", at.runName(), at.linesInRun());
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
                    SpoolFiles.writeLastStep(spool.resolveSibling(LAST_STEP), lastAccepted);
                    SpoolFiles.empty(spool);
                    cursor = new Cursor(0, next.runId(), next.runName(), next.linesInRun());
                }
            } catch (IOException e) {
                LOG.log(WARNING, "W&B run log: cannot empty " + spool + ": " + e);
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
            SpoolFiles.writeCursor(cursorFile, next);
        } catch (IOException e) {
            LOG.log(
                    WARNING,
                    "W&B run log: cannot write " + cursorFile + " (" + e
                            + "); steps may be sent again after a restart");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread thread = sender;
        if (thread != null) {
            long deadline = System.nanoTime() + settings.flushTimeout().toNanos();
            lock.lock();
            try {
                while (pending.get() > 0 && System.nanoTime() < deadline && lastError == null) {
                    changed.await(50, TimeUnit.MILLISECONDS);
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
                LOG.log(
                        WARNING,
                        "W&B run log: {0} step(s) not sent yet; they stay in {1} and are sent at the next start",
                        pending.get(),
                        spool);
            }
        }
        api.http().close();
    }
}
