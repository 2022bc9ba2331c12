package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The weight commits this validator made and has not seen through: hash commits to reveal (with
 * their salt), timelocked commits to confirm. Written to a JSON file (atomically, fsynced) BEFORE a
 * commit is sent, so a validator restarted between commit and reveal still reveals, and one killed
 * mid-commit finds a {@code prepared} entry it checks against the chain instead of revealing blind.
 * Without a file (no {@code state-dir}) it is kept in memory only. A damaged file is moved aside.
 */
final class PendingCommits {
    private static final System.Logger LOG = System.getLogger(PendingCommits.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long MAX_FILE_BYTES = 4L << 20;

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(40)
                        .build());
    }

    /** A hash commit (CRv2, validator reveals) or a timelocked commit (CRv4, chain reveals). */
    enum Kind {
        HASH,
        TIMELOCK
    }

    /** {@code PREPARED}: written, maybe sent; {@code COMMITTED}: on chain. */
    enum Status {
        PREPARED,
        COMMITTED
    }

    /**
     * One commit.
     *
     * @param hash the CRv2 commit hash (hex), or for a timelocked commit the BLAKE2b-256 of the ciphertext
     * @param commitEpoch the epoch the chain filed it under; {@code revealEpoch = commitEpoch + period}
     * @param revealBlock the predicted first block of the reveal epoch
     * @param round the drand round a timelocked commit is encrypted to (0 for hash commits)
     */
    record Entry(
            Kind kind,
            Status status,
            String hotkey,
            int netuid,
            List<Integer> uids,
            List<Integer> values,
            List<Integer> salt,
            long versionKey,
            String hash,
            long preparedAtBlock,
            long commitBlock,
            long commitEpoch,
            long revealEpoch,
            long revealBlock,
            long round) {
        Entry {
            uids = List.copyOf(uids);
            values = List.copyOf(values);
            salt = List.copyOf(salt);
        }

        Entry committed(long block, long epoch, long reveal, long revealAt) {
            return new Entry(
                    kind,
                    Status.COMMITTED,
                    hotkey,
                    netuid,
                    uids,
                    values,
                    salt,
                    versionKey,
                    hash,
                    preparedAtBlock,
                    block,
                    epoch,
                    reveal,
                    revealAt,
                    round);
        }
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private long changes;

    PendingCommits(Path file) {
        this.file = file;
        if (file != null) {
            entries.addAll(load(file));
        }
    }

    synchronized List<Entry> all() {
        return List.copyOf(entries);
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    synchronized void add(Entry entry) {
        entries.add(entry);
        save();
    }

    synchronized void replace(Entry old, Entry updated) {
        int at = entries.indexOf(old);
        if (at < 0) {
            throw new IllegalStateException("no pending commit " + old.hash());
        }
        entries.set(at, updated);
        save();
    }

    synchronized void remove(Entry entry) {
        entries.remove(entry);
        save();
    }

    synchronized Optional<Entry> find(String hash) {
        return entries.stream().filter(e -> e.hash().equals(hash)).findFirst();
    }

    /** A counter that moves with every change. */
    synchronized long changes() {
        return changes;
    }

    private void save() {
        changes++;
        if (file == null) {
            return;
        }
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the pending weight commits to " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> load(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        String problem;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problem = "not a regular file";
            } else if (Files.size(file) > MAX_FILE_BYTES) {
                problem = "larger than " + MAX_FILE_BYTES + " bytes";
            } else {
                List<Entry> read = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
                problem = check(read);
                if (problem == null) {
                    return read;
                }
            }
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage();
        }
        Path aside = file.resolveSibling(
                file.getFileName() + ".bad-" + Instant.now().toEpochMilli() + "-" + (System.nanoTime() & 0xffffff));
        try {
            Files.move(file, aside);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the pending weight commits in " + file + " are unreadable (" + problem
                            + ") and cannot be moved aside: " + e.getMessage(),
                    e);
        }
        LOG.log(
                WARNING,
                "The pending weight commits in {0} are unreadable ({1}); moved to {2}. Hash commits listed there will not be "
                        + "revealed by this validator.",
                file,
                problem,
                aside);
        return List.of();
    }

    private static String check(List<Entry> read) {
        if (read == null) {
            return "null instead of a list";
        }
        for (int i = 0; i < read.size(); i++) {
            Entry e = read.get(i);
            String at = "entry " + i;
            if (e == null
                    || e.kind() == null
                    || e.status() == null
                    || e.hotkey() == null
                    || e.hash() == null
                    || e.uids() == null
                    || e.values() == null
                    || e.salt() == null) {
                return at + " misses a field";
            }
            if (e.uids().size() != e.values().size() || e.uids().isEmpty()) {
                return at + " has " + e.uids().size() + " uids and "
                        + e.values().size() + " values";
            }
            if (e.uids().stream().anyMatch(v -> v == null || v < 0 || v > 0xFFFF)
                    || e.values().stream().anyMatch(v -> v == null || v < 0 || v > 0xFFFF)
                    || e.salt().stream().anyMatch(v -> v == null || v < 0 || v > 0xFFFF)) {
                return at + " holds a uid, value or salt that is not a u16";
            }
            if (!e.hash().matches("[0-9a-f]{64}")) {
                return at + " has a hash that is not 64 hex digits";
            }
            if (e.netuid() < 0
                    || e.netuid() > 0xFFFF
                    || e.versionKey() < 0
                    || e.commitEpoch() < 0
                    || e.revealEpoch() < 0
                    || e.round() < 0) {
                return at + " has a number out of range";
            }
        }
        return null;
    }
}
