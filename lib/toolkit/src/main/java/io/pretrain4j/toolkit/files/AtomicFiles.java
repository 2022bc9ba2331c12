package io.pretrain4j.toolkit.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that a crash cannot tear: the content goes to a temporary file beside the target
 * (unique per write, so concurrent writers of one file never share it), is forced to disk, and is
 * renamed over the target atomically where the file system can (replaced otherwise), and the directory
 * is synced where it can be. A reader sees
 * the old file or the new one, never a mix; a failed write leaves the old file and no temporary.
 */
public final class AtomicFiles {
    /** Who may read the written file. */
    public enum Access {
        /** The process's umask decides (usually 0644). */
        DEFAULT,
        /** Owner read/write only (0600) on POSIX file systems, from the moment the file exists: for files that may quote secrets. */
        OWNER_ONLY
    }

    /** What to write, to a stream whose {@code close()} only flushes (the file is forced and renamed after). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code bytes} as the whole of {@code target} (its directory is created). */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, Access.DEFAULT);
    }

    public static void write(Path target, byte[] bytes, Access access) throws IOException {
        write(target, out -> out.write(bytes), access);
    }

    /** Writes {@code text} in UTF-8 as the whole of {@code target}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8), Access.DEFAULT);
    }

    /** Writes what {@code content} produces (streamed, buffered) as the whole of {@code target}. */
    public static void write(Path target, Content content, Access access) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel channel = open(temporary, access)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // writers that close their target (JSON generators) must not close the channel
                    }
                };
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temporary, absolute);
            done = true;
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true); // the rename itself on disk
            } catch (IOException ignored) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
        } finally {
            if (!done) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Whether {@code file} is a temporary file of an interrupted write (safe to delete once no write to its directory runs). */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** Renames {@code from} to {@code to}, replacing it: atomically where the file system can, a plain replace otherwise. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Renames {@code from} to {@code to}, which must not exist: atomically where the file system can. */
    public static void moveNew(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static FileChannel open(Path file, Access access) throws IOException {
        StandardOpenOption[] options = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};
        if (access == Access.OWNER_ONLY
                && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly =
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return FileChannel.open(file, Set.of(options), ownerOnly);
        }
        return FileChannel.open(file, options);
    }
}
