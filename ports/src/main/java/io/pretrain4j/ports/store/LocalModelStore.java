package io.pretrain4j.ports.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Models on the validator's disk, in the reference's layout
 * {@code <root>/models/<hotkey>/models--<ns>--<name>/snapshots/<commit>/}. A snapshot directory
 * exists only once complete and verified: downloads go to a staging directory and are renamed into
 * place. Thread-safe, and safe for one process at a time.
 */
public interface LocalModelStore {
    /** The store's root directory. */
    Path root();

    /** The model, if it is stored complete. */
    Optional<StoredModel> find(ModelKey key);

    /**
     * The model, downloading it from {@code remote} first if needed (into staging, verified, hashed,
     * then renamed into place). Concurrent calls for one model download it once.
     */
    StoredModel fetch(ModelKey key, RemoteModelStore remote, long maxBytes);

    /**
     * Marks the model as in use (being evaluated) until the lease is closed; the cleaner never
     * deletes a leased model.
     */
    Lease lease(ModelKey key);

    /**
     * Deletes every stored model not in {@code keep} and not leased that has not been used (fetched,
     * found or leased) for {@code grace}, and stale staging directories.
     */
    CleanReport clean(Set<ModelKey> keep, Duration grace);

    /** What the models take on disk. */
    DiskUsage usage();

    /** A hold on a model; closing releases it. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What a cleaning pass did.
     *
     * @param deleted the models deleted
     * @param freedBytes bytes freed, staging included
     * @param keptInUse models that would have gone but were leased or within the grace period
     */
    record CleanReport(List<ModelKey> deleted, long freedBytes, int keptInUse) {
        public CleanReport {
            deleted = List.copyOf(deleted);
        }
    }

    /**
     * Disk usage.
     *
     * @param models complete models stored
     * @param modelBytes bytes of their files
     * @param stagingBytes bytes of unfinished downloads
     * @param freeBytes free space on the store's file system
     */
    record DiskUsage(int models, long modelBytes, long stagingBytes, long freeBytes) {}
}
