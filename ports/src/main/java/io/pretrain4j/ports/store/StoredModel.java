package io.pretrain4j.ports.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A complete, verified model on local disk.
 *
 * @param key which model
 * @param directory its snapshot directory (read-only by convention)
 * @param hash the reference's directory hash of it ({@link io.pretrain4j.domain.hash.ModelHashes})
 * @param bytes the size of its files
 */
public record StoredModel(ModelKey key, Path directory, String hash, long bytes) {
    public StoredModel {
        requireNonNull(key, "key is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(hash, "hash is null");
    }
}
