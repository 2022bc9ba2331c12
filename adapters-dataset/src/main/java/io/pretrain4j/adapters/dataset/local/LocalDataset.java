package io.pretrain4j.adapters.dataset.local;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.adapters.dataset.json.JsonLines;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.OffsetPageSampler;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.PageSampler;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.TextDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Documents from JSON lines files, one row per document, read once into memory. Pages are
 * {@code rowsPerPage} consecutive rows from an offset drawn as the reference's simple loaders draw
 * theirs ({@code randint(0, rows - rowsPerPage)}), so a seed picks the same pages everywhere. The
 * id carries the SHA-256 of the files, so cached windows never outlive a change of the corpus.
 */
final class LocalDataset implements TextDataset {
    static final String SAMPLE = "brown-sample.jsonl.gz";
    private static final System.Logger LOG = System.getLogger(LocalDataset.class.getName());
    private static final int MAX_LINE_CHARS = 64 << 20;

    private final Optional<Path> path;
    private final int rowsPerPage;
    private final List<String> fields;
    private final long maxChars;
    private List<String> rows;
    private String id;

    LocalDataset(Optional<Path> path, int rowsPerPage, List<String> fields, long maxChars) {
        this.path = requireNonNull(path, "path is null");
        this.rowsPerPage = rowsPerPage;
        this.fields = List.copyOf(fields);
        this.maxChars = maxChars;
    }

    @Override
    public synchronized String id() {
        load();
        return id;
    }

    @Override
    public PageSampler sampler(int numPages) {
        List<String> all = load();
        if (all.size() < rowsPerPage) {
            throw new Pretrain4jException(
                    DatasetErrorCode.NOT_ENOUGH_DATA,
                    id + " has " + all.size() + " documents, fewer than one page of " + rowsPerPage);
        }
        return new OffsetPageSampler("default", "train", 0, all.size() - rowsPerPage, numPages, rowsPerPage);
    }

    @Override
    public List<String> fetch(Page page) {
        List<String> all = load();
        if (page.offset() >= all.size()) {
            throw new Pretrain4jException(
                    DatasetErrorCode.DATASET_INVALID,
                    id + ": page " + page.name() + " starts after the last of " + all.size() + " rows");
        }
        int from = (int) page.offset();
        return List.copyOf(all.subList(from, (int) Math.min(all.size(), from + (long) page.rows())));
    }

    /** Every document, in file order. */
    synchronized List<String> load() {
        if (rows != null) {
            return rows;
        }
        long started = System.nanoTime();
        List<String> loaded = new ArrayList<>();
        MessageDigest digest = sha256();
        String label;
        try {
            if (path.isEmpty()) {
                label = "brown-sample";
                try (InputStream in = LocalDataset.class.getResourceAsStream(SAMPLE)) {
                    if (in == null) {
                        throw new Pretrain4jException(
                                DatasetErrorCode.DATASET_INVALID,
                                "the shipped corpus " + SAMPLE + " is missing from the jar");
                    }
                    JsonLines.read(
                            new DigestInputStream(in, digest),
                            "shipped " + SAMPLE,
                            fields,
                            MAX_LINE_CHARS,
                            maxChars,
                            loaded::add);
                }
            } else {
                label = path.get().toAbsolutePath().normalize().toString();
                for (Path file : files(path.get())) {
                    try (InputStream in = Files.newInputStream(file)) {
                        JsonLines.read(
                                new DigestInputStream(in, digest),
                                file.toString(),
                                fields,
                                MAX_LINE_CHARS,
                                maxChars
                                        - loaded.stream()
                                                .mapToLong(String::length)
                                                .sum(),
                                loaded::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DatasetErrorCode.DATASET_INVALID,
                    "cannot read " + path.map(Path::toString).orElse(SAMPLE) + ": " + e,
                    e);
        }
        if (loaded.isEmpty()) {
            throw new Pretrain4jException(
                    DatasetErrorCode.NOT_ENOUGH_DATA, path.map(Path::toString).orElse(SAMPLE) + " holds no documents");
        }
        id = "local:" + label + "@" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + "/rows-per-page="
                + rowsPerPage + "/fields=" + String.join(",", fields);
        rows = List.copyOf(loaded);
        LOG.log(
                System.Logger.Level.INFO,
                "local dataset {0}: {1} documents, {2} characters, read in {3} ms",
                label,
                rows.size(),
                rows.stream().mapToLong(String::length).sum(),
                (System.nanoTime() - started) / 1_000_000);
        return rows;
    }

    private static List<Path> files(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> listing = Files.list(root)) {
            List<Path> files = listing.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".jsonl")
                            || p.getFileName().toString().endsWith(".jsonl.gz"))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_INVALID, root + " holds no .jsonl or .jsonl.gz file");
            }
            return files;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
