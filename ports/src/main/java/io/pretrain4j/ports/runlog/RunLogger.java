package io.pretrain4j.ports.runlog;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a validator reports its steps for dashboards and leaderboards ({@code wandb}, or a
 * plugin's). A logger never blocks the validator on the network and never throws from
 * {@link #log}: what it cannot deliver now it buffers (on disk, under
 * {@link RunInfo#bufferDirectory()}, so a restart delivers it) and retries. Thread-safe.
 */
public interface RunLogger extends AutoCloseable {
    /** Describes the logger, e.g. {@code wandb:https://api.wandb.ai/macrocosmos/pretraining-validators}; never a secret. */
    String id();

    /**
     * Begins logging for a validator; called once, before the first {@link #log}. Buffered steps of
     * an earlier process in the same buffer directory are delivered first.
     */
    void start(RunInfo run);

    /**
     * Reports one step: {@code json} is one JSON object with the reference's per-step fields
     * ({@code original_format_json} included). Returns at once; never throws for the service's sake.
     * Idempotent by step number: a step at or below the highest one already taken into this buffer
     * directory is ignored (the validator publishes a step again after a crash, not knowing whether
     * the logger took it).
     *
     * @param step the validator's global step number
     */
    void log(long step, String json);

    /** What is buffered and delivered so far. */
    Status status();

    /** Delivers what it can within the logger's flush limit; the rest stays buffered for the next start. */
    @Override
    void close();

    /**
     * The validator a run logger reports for.
     *
     * @param hotkey its SS58 hotkey
     * @param uid its uid, or -1 when not registered
     * @param versionKey the version key it sets weights with (the reference's {@code version})
     * @param softwareVersion pretrain4j's version (the reference's {@code validator version})
     * @param bufferDirectory a directory the logger owns for its buffer
     */
    record RunInfo(String hotkey, int uid, long versionKey, String softwareVersion, Path bufferDirectory) {
        public RunInfo {
            requireNonNull(hotkey, "hotkey is null");
            requireNonNull(softwareVersion, "softwareVersion is null");
            requireNonNull(bufferDirectory, "bufferDirectory is null");
        }
    }

    /**
     * A logger's progress.
     *
     * @param buffered steps waiting to be delivered
     * @param delivered steps delivered since start
     * @param dropped steps given up on (the buffer was full)
     * @param lastError the last delivery failure while steps are buffered
     */
    record Status(long buffered, long delivered, long dropped, Optional<String> lastError) {
        public Status {
            requireNonNull(lastError, "lastError is null");
        }
    }
}
