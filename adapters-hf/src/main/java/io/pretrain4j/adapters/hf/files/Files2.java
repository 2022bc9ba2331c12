package io.pretrain4j.adapters.hf.files;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** File helpers of the model stores: hashes, atomic moves, recursive deletes and sizes. */
public final class Files2 {
    private static final int BUFFER = 1 << 20;

    private Files2() {}

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) {
        return hex(digest(file, "SHA-256", null));
    }

    /** Git's blob id of a file: hex SHA-1 of {@code "blob <size>\0"} followed by the bytes. */
    public static String gitBlobId(Path file) {
        try {
            return hex(digest(file, "SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw io("cannot read " + file, e);
        }
    }

    private static byte[] digest(Path file, String algorithm, byte[] prefix) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                digest.update(prefix);
            }
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (IOException e) {
            throw io("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    /** Lower-case hex. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Deletes a file or a directory tree; absent is fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw io("cannot delete " + root, e);
        }
    }

    /** Bytes of the regular files under {@code root} (0 when absent). */
    public static long size(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total.addAndGet(attrs.size());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total.get();
    }

    /** A {@link ModelStoreErrorCode#STORE_IO} error. */
    public static Pretrain4jException io(String message, IOException cause) {
        return new Pretrain4jException(ModelStoreErrorCode.STORE_IO, message + ": " + cause, cause);
    }
}
