package io.pretrain4j.adapters.chain.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The local chain's storage: {@code chain.log}, an append-only file of JSON entries, one a line, each
 * behind the CRC-32 of its JSON, written with {@code fsync}; and {@code chain.lock}, held (with a
 * lock per JVM and directory) by the one process that writes. Readers apply whole, checksummed
 * lines; a writer first drops a torn tail a crashed writer left.
 */
final class ChainLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChainLog.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final int MAX_LINE = 1 << 20;

    /** Work done under the lock. */
    @FunctionalInterface
    interface LongSupplierWithIo {
        long get() throws IOException;
    }

    private final Path dir;
    private final FileChannel log;
    private final FileChannel lockFile;
    private final ReentrantLock jvmLock;
    private long offset;

    ChainLog(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.log = FileChannel.open(
                dir.resolve("chain.log"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.lockFile = FileChannel.open(
                dir.resolve("chain.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.jvmLock = JVM_LOCKS.computeIfAbsent(dir, ignored -> new ReentrantLock());
    }

    /** Whether any entry has been read. */
    boolean started() {
        return offset > 0;
    }

    /**
     * Runs {@code action} holding this JVM's lock, the file lock and then {@code monitor} (the one
     * readers of the applied state synchronize on), after {@code apply} has seen every entry others
     * appended and a torn tail has been dropped. Not thread-safe otherwise: {@link #readNew} and
     * {@link #append} are called holding {@code monitor}.
     */
    long locked(Object monitor, Consumer<JsonNode> apply, LongSupplierWithIo action) {
        jvmLock.lock();
        try (FileLock ignored = lockFile.lock()) {
            synchronized (monitor) {
                readNew(apply);
                long size = log.size();
                if (size > offset) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "local chain {0}: dropping a torn entry of {1} bytes at offset {2} (a writer died mid-write)",
                            dir,
                            size - offset,
                            offset);
                    log.truncate(offset);
                    log.force(true);
                }
                return action.get();
            }
        } catch (IOException e) {
            throw unavailable("local chain " + dir + ": " + e, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Appends {@code entry} (call under {@link #locked}); the caller applies it. */
    void append(ObjectNode entry) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(entry);
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] line = (String.format(Locale.ROOT, "%08x ", crc.getValue()) + new String(json, StandardCharsets.UTF_8)
                        + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        long position = offset;
        while (buffer.hasRemaining()) {
            position += log.write(buffer, position);
        }
        log.force(false);
        offset += line.length;
    }

    /** Gives {@code apply} the whole, checksummed lines others appended since the last look. */
    void readNew(Consumer<JsonNode> apply) {
        try {
            long size = log.size();
            while (offset < size) {
                int length = (int) Math.min(MAX_LINE, size - offset);
                ByteBuffer buffer = ByteBuffer.allocate(length);
                while (buffer.hasRemaining() && log.read(buffer, offset + buffer.position()) > 0) {
                    // read on
                }
                byte[] bytes = buffer.array();
                int start = 0;
                boolean progressed = false;
                for (int i = 0; i < buffer.position(); i++) {
                    if (bytes[i] == '\n') {
                        apply.accept(
                                entry(new String(bytes, start, i - start, StandardCharsets.UTF_8), offset + start));
                        start = i + 1;
                        progressed = true;
                    }
                }
                offset += start;
                if (!progressed) {
                    if (length == MAX_LINE) {
                        throw unavailable(
                                "local chain " + dir + ": an entry at offset " + offset + " is longer than " + MAX_LINE
                                        + " bytes",
                                null);
                    }
                    break; // a partial line: being written, or torn (the next writer repairs it)
                }
            }
        } catch (IOException e) {
            throw unavailable("cannot read the local chain in " + dir + ": " + e, e);
        }
    }

    private JsonNode entry(String line, long at) throws IOException {
        int space = line.indexOf(' ');
        if (space != 8) {
            throw unavailable("local chain " + dir + " is damaged at offset " + at + ": not an entry", null);
        }
        String json = line.substring(9);
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        if (!String.format(Locale.ROOT, "%08x", crc.getValue()).equals(line.substring(0, 8))) {
            throw unavailable("local chain " + dir + " is damaged at offset " + at + ": checksum mismatch", null);
        }
        return MAPPER.readTree(json);
    }

    static Pretrain4jException unavailable(String message, Throwable cause) {
        return new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, message, cause);
    }

    @Override
    public void close() {
        try {
            log.close();
            lockFile.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the local chain {0}: {1}", dir, e.getMessage());
        }
    }
}
