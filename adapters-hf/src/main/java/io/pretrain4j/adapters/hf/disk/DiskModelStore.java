package io.pretrain4j.adapters.hf.disk;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The validator's model directory in the reference's layout:
 * {@code <root>/models/<hotkey>/models--<ns>--<name>/snapshots/<commit>/} holds exactly the model's
 * files (so the reference's directory hash applies to it unchanged). Beside {@code snapshots/}:
 * {@code .staging/<commit>/} holds a download in progress (kept across restarts, so it resumes),
 * {@code .meta/<commit>} the computed hash and size; its modification time is the model's last use,
 * which the cleaner's grace period counts from. A snapshot appears by one atomic rename once its files
 * are complete and verified, and disappears by one rename into {@code <root>/.trash} before deletion.
 */
final class DiskModelStore implements LocalModelStore {
    private static final System.Logger LOG = System.getLogger(DiskModelStore.class.getName());

    private final Path root;
    private final Clock clock;
    private final ConcurrentHashMap<ModelKey, AtomicInteger> leases = new ConcurrentHashMap<>();
    /** One monitor per model, kept for the store's life (a removed monitor would let two threads in at once). */
    private final ConcurrentHashMap<ModelKey, Object> locks = new ConcurrentHashMap<>();

    private final Set<ModelKey> fetching = ConcurrentHashMap.newKeySet();

    DiskModelStore(Path root) {
        this(root, Clock.systemUTC());
    }

    DiskModelStore(Path root, Clock clock) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Path root() {
        return root;
    }

    private Path repoDir(ModelKey key) {
        String[] parts = key.repoId().split("/", 2);
        return root.resolve("models").resolve(key.hotkey()).resolve("models--" + parts[0] + "--" + parts[1]);
    }

    private Path snapshot(ModelKey key) {
        return repoDir(key).resolve("snapshots").resolve(key.commit());
    }

    private Path meta(ModelKey key) {
        return repoDir(key).resolve(".meta").resolve(key.commit());
    }

    private Path staging(ModelKey key) {
        return repoDir(key).resolve(".staging").resolve(key.commit());
    }

    @Override
    public Optional<StoredModel> find(ModelKey key) {
        Path snapshot = snapshot(key);
        if (!Files.isDirectory(snapshot)) {
            return Optional.empty();
        }
        Path meta = meta(key);
        try {
            String hash;
            long bytes;
            List<String> lines =
                    Files.isRegularFile(meta) ? Files.readAllLines(meta, StandardCharsets.UTF_8) : List.of();
            if (lines.size() == 2 && lines.get(0).length() == 44) {
                hash = lines.get(0);
                bytes = Long.parseLong(lines.get(1));
            } else {
                // a crash between the rename and the meta file, or a damaged meta file: recompute
                hash = ModelHashes.directoryHash(snapshot);
                bytes = Files2.size(snapshot);
                writeMeta(key, hash, bytes);
            }
            touch(meta);
            return Optional.of(new StoredModel(key, snapshot, hash, bytes));
        } catch (IOException | NumberFormatException e) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_IO, "cannot read the metadata of " + key + " at " + meta + ": " + e, e);
        }
    }

    @Override
    public StoredModel fetch(ModelKey key, RemoteModelStore remote, long maxBytes) {
        Object lock = locks.computeIfAbsent(key, ignored -> new Object());
        synchronized (lock) {
            Optional<StoredModel> present = find(key);
            if (present.isPresent()) {
                return present.get();
            }
            Path staging = staging(key);
            long started = System.nanoTime();
            fetching.add(key);
            try {
                Files.createDirectories(staging);
                RemoteModel downloaded = remote.download(key, staging, maxBytes);
                try (Stream<Path> files = Files.list(staging)) {
                    List<Path> leftovers = files.filter(p -> !Files.isRegularFile(p)
                                    || p.getFileName().toString().endsWith(".incomplete"))
                            .toList();
                    if (!leftovers.isEmpty()) {
                        throw new Pretrain4jException(
                                ModelStoreErrorCode.STORE_IO,
                                remote.id() + " left unfinished files for " + key + ": "
                                        + leftovers.stream()
                                                .map(p -> p.getFileName().toString())
                                                .toList());
                    }
                }
                String hash = hash(staging, downloaded);
                long bytes = Files2.size(staging);
                writeMeta(key, hash, bytes);
                Files.createDirectories(snapshot(key).getParent());
                try {
                    AtomicFiles.moveNew(staging, snapshot(key));
                } catch (FileAlreadyExistsException e) {
                    Files2.deleteTree(staging); // another process finished first; its copy has the same content
                }
                LOG.log(
                        System.Logger.Level.INFO,
                        "stored {0}: {1} bytes, hash {2}, in {3} ms",
                        key,
                        bytes,
                        hash,
                        (System.nanoTime() - started) / 1_000_000);
                return new StoredModel(key, snapshot(key), hash, bytes);
            } catch (IOException e) {
                throw Files2.io("cannot store " + key + " under " + root, e);
            } finally {
                fetching.remove(key);
            }
        }
    }

    /**
     * The reference's directory hash of a finished download. Files whose SHA-256 the remote store
     * announced (and the download verified) are not read again; the others are hashed.
     */
    private static String hash(Path staging, RemoteModel downloaded) throws IOException {
        Map<String, String> digests = new HashMap<>();
        Map<String, RepoFile> announced = new HashMap<>();
        downloaded.files().forEach(file -> announced.put(file.name(), file));
        try (Stream<Path> files = Files.list(staging)) {
            for (Path file : files.toList()) {
                if (!Files.isRegularFile(file)) {
                    return ModelHashes.directoryHash(staging); // not flat: the general walk
                }
                String name = file.getFileName().toString();
                RepoFile remote = announced.get(name);
                digests.put(
                        name,
                        remote != null && remote.sha256().isPresent() && remote.size() == Files.size(file)
                                ? remote.sha256().get()
                                : Files2.sha256(file));
            }
        }
        return ModelHashes.flatHashOfDigests(digests);
    }

    private void writeMeta(ModelKey key, String hash, long bytes) throws IOException {
        AtomicFiles.writeString(meta(key), hash + "\n" + bytes + "\n");
    }

    private void touch(Path meta) {
        try {
            Files.setLastModifiedTime(meta, FileTime.from(clock.instant()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the use of {0}: {1}", meta, e.getMessage());
        }
    }

    @Override
    public Lease lease(ModelKey key) {
        AtomicInteger count = leases.computeIfAbsent(key, ignored -> new AtomicInteger());
        count.incrementAndGet();
        if (Files.isRegularFile(meta(key))) {
            touch(meta(key));
        }
        return new Lease() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    if (count.decrementAndGet() == 0) {
                        leases.remove(key, count);
                    }
                }
            }
        };
    }

    private boolean leased(ModelKey key) {
        AtomicInteger count = leases.get(key);
        return count != null && count.get() > 0;
    }

    @Override
    public CleanReport clean(Set<ModelKey> keep, Duration grace) {
        List<ModelKey> deleted = new ArrayList<>();
        long freed = 0;
        int kept = 0;
        Instant cutoff = clock.instant().minus(grace);
        for (ModelKey key : stored()) {
            if (keep.contains(key)) {
                continue;
            }
            if (leased(key) || lastUse(key).isAfter(cutoff)) {
                kept++;
                continue;
            }
            synchronized (locks.computeIfAbsent(key, ignored -> new Object())) {
                if (leased(key)) {
                    kept++;
                    continue;
                }
                long bytes = Files2.size(snapshot(key));
                trash(snapshot(key));
                try {
                    Files.deleteIfExists(meta(key));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", meta(key), e.getMessage());
                }
                freed += bytes;
                deleted.add(key);
            }
        }
        freed += cleanStaging(cutoff);
        if (!deleted.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "cleaner: deleted {0} models ({1} bytes), kept {2} in use or within the grace period",
                    deleted.size(),
                    freed,
                    kept);
        }
        return new CleanReport(deleted, freed, kept);
    }

    private long cleanStaging(Instant cutoff) {
        long freed = 0;
        for (Path staging : repoChildren(".staging")) {
            try {
                if (Files.getLastModifiedTime(staging).toInstant().isBefore(cutoff)
                        && !fetching.contains(keyOf(staging))) {
                    freed += Files2.size(staging);
                    trash(staging);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot clean staging {0}: {1}", staging, e.getMessage());
            }
        }
        return freed;
    }

    private void trash(Path directory) {
        Path trash = root.resolve(".trash").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(trash.getParent());
            AtomicFiles.moveNew(directory, trash);
        } catch (IOException e) {
            throw Files2.io("cannot move " + directory + " to the trash", e);
        }
        Files2.deleteTree(trash);
    }

    private Instant lastUse(ModelKey key) {
        try {
            Path meta = meta(key);
            return Files.getLastModifiedTime(Files.exists(meta) ? meta : snapshot(key))
                    .toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Every complete model on disk. */
    List<ModelKey> stored() {
        List<ModelKey> keys = new ArrayList<>();
        for (Path snapshot : repoChildren("snapshots")) {
            try {
                keys.add(keyOf(snapshot));
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "ignoring {0}: not a model snapshot ({1})",
                        snapshot,
                        e.getMessage());
            }
        }
        return keys;
    }

    private ModelKey keyOf(Path commitDir) {
        Path repo = commitDir.getParent().getParent();
        String name = repo.getFileName().toString();
        if (!name.startsWith("models--")) {
            throw new IllegalArgumentException("not a models-- directory");
        }
        String[] parts = name.substring("models--".length()).split("--", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("no '--' between namespace and name");
        }
        return new ModelKey(
                repo.getParent().getFileName().toString(),
                parts[0] + "/" + parts[1],
                commitDir.getFileName().toString());
    }

    private List<Path> repoChildren(String kind) {
        List<Path> out = new ArrayList<>();
        Path models = root.resolve("models");
        if (!Files.isDirectory(models)) {
            return out;
        }
        try (DirectoryStream<Path> hotkeys = Files.newDirectoryStream(models)) {
            for (Path hotkey : hotkeys) {
                if (!Files.isDirectory(hotkey)) {
                    continue;
                }
                try (DirectoryStream<Path> repos = Files.newDirectoryStream(hotkey, "models--*")) {
                    for (Path repo : repos) {
                        Path dir = repo.resolve(kind);
                        if (Files.isDirectory(dir)) {
                            try (DirectoryStream<Path> commits = Files.newDirectoryStream(dir)) {
                                commits.forEach(out::add);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw Files2.io("cannot list " + models, e);
        }
        return out;
    }

    @Override
    public DiskUsage usage() {
        List<ModelKey> keys = stored();
        long modelBytes =
                keys.stream().mapToLong(key -> Files2.size(snapshot(key))).sum();
        long stagingBytes =
                repoChildren(".staging").stream().mapToLong(Files2::size).sum();
        long free;
        try {
            Path existing = root;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent(); // report without creating the store
            }
            free = existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw Files2.io("cannot read the free space of " + root, e);
        }
        return new DiskUsage(keys.size(), modelBytes, stagingBytes, free);
    }
}
