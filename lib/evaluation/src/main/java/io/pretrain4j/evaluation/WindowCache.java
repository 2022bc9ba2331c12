package io.pretrain4j.evaluation;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps the windows of recent steps so that the N models of a step (and a restarted validator) do
 * not fetch and tokenize the same pages again. An in-memory LRU bounded by tokens, backed by an
 * optional directory of binary files written atomically and checked against their SHA-256 when
 * read; a damaged file is logged, deleted and rebuilt, never trusted.
 */
public final class WindowCache {
    private static final System.Logger LOG = System.getLogger(WindowCache.class.getName());
    private static final int MAGIC = 0x50344A57; // "P4JW"
    private static final int VERSION = 1;
    private static final int MAX_STRING = 4096;

    private final Optional<Path> directory;
    private final long maxMemoryTokens;
    private final Map<String, EvalWindows.Result> memory = new LinkedHashMap<>(16, 0.75f, true);
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private long memoryTokens;

    /**
     * @param directory where to keep files across restarts; empty for memory only
     * @param maxMemoryTokens tokens kept in memory before the least recently used results are dropped
     */
    public WindowCache(Optional<Path> directory, long maxMemoryTokens) {
        this.directory = requireNonNull(directory, "directory is null");
        this.maxMemoryTokens = maxMemoryTokens;
    }

    /** The cache key of a request for a dataset and a tokenizer. */
    public static String key(String datasetId, String tokenizerId, EvalWindows.Request request) {
        String text = String.join(
                "\n",
                "v" + VERSION,
                datasetId,
                tokenizerId,
                request.seed().toString(),
                Integer.toString(request.numPages()),
                Integer.toString(request.sequenceLength()),
                Integer.toString(request.maxWindows()));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The windows for the request: from memory, from disk, or built (and then kept). */
    public EvalWindows.Result get(TextDataset dataset, Tokenizer tokenizer, EvalWindows.Request request) {
        return get(key(dataset.id(), tokenizer.id(), request), () -> EvalWindows.build(dataset, tokenizer, request));
    }

    /** The result under {@code key}, built by {@code builder} when neither memory nor disk has it. */
    public EvalWindows.Result get(String key, Supplier<EvalWindows.Result> builder) {
        Object lock = locks.computeIfAbsent(key, ignored -> new Object());
        synchronized (lock) {
            try {
                EvalWindows.Result cached = fromMemory(key);
                if (cached != null) {
                    return cached;
                }
                Optional<EvalWindows.Result> stored = fromDisk(key);
                if (stored.isPresent()) {
                    remember(key, stored.get());
                    return stored.get();
                }
                EvalWindows.Result built = builder.get();
                remember(key, built);
                toDisk(key, built);
                return built;
            } finally {
                locks.remove(key, lock);
            }
        }
    }

    private synchronized EvalWindows.Result fromMemory(String key) {
        return memory.get(key);
    }

    private synchronized void remember(String key, EvalWindows.Result result) {
        EvalWindows.Result old = memory.put(key, result);
        if (old != null) {
            memoryTokens -= old.windowTokens();
        }
        memoryTokens += result.windowTokens();
        Iterator<Map.Entry<String, EvalWindows.Result>> eldest =
                memory.entrySet().iterator();
        while (memoryTokens > maxMemoryTokens && memory.size() > 1 && eldest.hasNext()) {
            Map.Entry<String, EvalWindows.Result> entry = eldest.next();
            if (entry.getKey().equals(key)) {
                continue;
            }
            memoryTokens -= entry.getValue().windowTokens();
            eldest.remove();
        }
    }

    private Optional<EvalWindows.Result> fromDisk(String key) {
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        Path file = directory.get().resolve(key + ".windows");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(file)) {
            EvalWindows.Result result = read(new DataInputStream(new BufferedInputStream(raw, 1 << 16)));
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "windows {0} read from {1}",
                    result.sha256().substring(0, 12),
                    file);
            return Optional.of(result);
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "window cache file {0} is damaged ({1}); deleting it and rebuilding the windows",
                    file,
                    e instanceof EOFException ? "truncated" : e.getMessage());
            try {
                Files.deleteIfExists(file);
            } catch (IOException deleteFailure) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", file, deleteFailure.getMessage());
            }
            return Optional.empty();
        }
    }

    private void toDisk(String key, EvalWindows.Result result) {
        if (directory.isEmpty()) {
            return;
        }
        Path dir = directory.get();
        Path file = dir.resolve(key + ".windows");
        try {
            AtomicFiles.write(
                    file,
                    raw -> {
                        DataOutputStream out = new DataOutputStream(raw);
                        write(out, result);
                        out.flush();
                    },
                    AtomicFiles.Access.DEFAULT);
        } catch (IOException e) {
            // The cache is an optimisation: a full disk must not fail the step.
            LOG.log(System.Logger.Level.WARNING, "cannot write window cache file {0}: {1}", file, e.getMessage());
        }
    }

    static void write(DataOutputStream out, EvalWindows.Result result) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(result.datasetId());
        out.writeUTF(result.tokenizerId());
        out.writeUTF(result.sha256());
        out.writeInt(result.rounds());
        out.writeLong(result.documents());
        out.writeLong(result.tokens());
        out.writeInt(result.pages().size());
        for (Page page : result.pages()) {
            out.writeUTF(page.config());
            out.writeUTF(page.split());
            out.writeLong(page.offset());
            out.writeInt(page.rows());
        }
        out.writeInt(result.windows().size());
        for (int[] window : result.windows()) {
            out.writeInt(window.length);
            for (int token : window) {
                out.writeInt(token);
            }
        }
    }

    static EvalWindows.Result read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a window cache file (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("version " + version + ", expected " + VERSION);
        }
        String datasetId = checked(in.readUTF());
        String tokenizerId = checked(in.readUTF());
        String sha256 = checked(in.readUTF());
        int rounds = in.readInt();
        long documents = in.readLong();
        long tokens = in.readLong();
        int pageCount = count(in.readInt(), 1 << 20, "pages");
        List<Page> pages = new ArrayList<>(pageCount);
        for (int i = 0; i < pageCount; i++) {
            pages.add(new Page(checked(in.readUTF()), checked(in.readUTF()), in.readLong(), in.readInt()));
        }
        int windowCount = count(in.readInt(), 1 << 20, "windows");
        List<int[]> windows = new ArrayList<>(windowCount);
        for (int i = 0; i < windowCount; i++) {
            int[] window = new int[count(in.readInt(), 1 << 24, "window length")];
            for (int j = 0; j < window.length; j++) {
                window[j] = in.readInt();
            }
            windows.add(window);
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes after the windows");
        }
        String actual = Packing.sha256(windows);
        if (!actual.equals(sha256)) {
            throw new IOException("windows hash " + actual + " differs from the recorded " + sha256);
        }
        return new EvalWindows.Result(datasetId, tokenizerId, pages, rounds, documents, tokens, windows, sha256);
    }

    private static int count(int value, int max, String what) throws IOException {
        if (value < 0 || value > max) {
            throw new IOException(what + " count " + value + " outside [0, " + max + "]");
        }
        return value;
    }

    private static String checked(String value) throws IOException {
        if (value.length() > MAX_STRING) {
            throw new IOException("string field longer than " + MAX_STRING);
        }
        return value;
    }
}
