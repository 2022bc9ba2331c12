package io.pretrain4j.domain.hash;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Model hashes exactly as the reference computes them (taoverse {@code get_hash_of_directory},
 * {@code get_hash_of_two_strings}).
 *
 * <p>Directory hash: walk the directory top-down like Python's {@code os.walk} with both the
 * sub-directory and the file lists sorted by code point; for each file, feed the UTF-8 of
 * {@code base64(sha256(file bytes))} into an outer sha256; the result is the base64 of the outer
 * digest. File names are not hashed. Files are streamed in 64 KiB chunks, so a model of any size
 * is hashed in constant memory. Like {@code os.walk}, symbolic links to directories are listed but
 * not entered, and symbolic links to files are followed.
 */
public final class ModelHashes {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final Comparator<String> CODE_POINT_ORDER = ModelHashes::compareCodePoints;

    private ModelHashes() {}

    /** The reference directory hash: 44 base64 characters. */
    public static String directoryHash(Path directory) {
        requireNonNull(directory, "directory is null");
        if (!Files.isDirectory(directory)) {
            throw new Pretrain4jException(
                    DomainErrorCode.MODEL_FILES_UNREADABLE,
                    "Cannot hash model directory " + directory + ": it is not a directory");
        }
        MessageDigest outer = sha256();
        byte[] buffer = new byte[CHUNK_BYTES];
        walk(directory, outer, buffer);
        return Base64.getEncoder().encodeToString(outer.digest());
    }

    /**
     * The directory hash of a flat directory holding exactly {@code files} (ordered by file name as
     * the walk orders them), without making that directory: what validators will compute for a
     * model whose other files (README, ...) they do not download.
     */
    public static String filesHash(List<Path> files) {
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort((a, b) ->
                compareCodePoints(a.getFileName().toString(), b.getFileName().toString()));
        MessageDigest outer = sha256();
        byte[] buffer = new byte[CHUNK_BYTES];
        for (Path file : sorted) {
            outer.update(fileHash(file, buffer).getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(outer.digest());
    }

    /**
     * The directory hash of a flat directory whose files have these SHA-256 digests (lower-case hex,
     * by file name): what {@link #directoryHash} computes, without reading the files again when their
     * digests were already verified (a download checks every LFS file's SHA-256).
     */
    public static String flatHashOfDigests(Map<String, String> sha256HexByName) {
        List<String> names = new ArrayList<>(sha256HexByName.keySet());
        names.sort(CODE_POINT_ORDER);
        MessageDigest outer = sha256();
        for (String name : names) {
            byte[] digest = HexFormat.of().parseHex(sha256HexByName.get(name));
            if (digest.length != 32) {
                throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, name + ": not a SHA-256 digest");
            }
            outer.update(Base64.getEncoder().encodeToString(digest).getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(outer.digest());
    }

    /** {@code base64(sha256(file bytes))}, streamed. */
    public static String fileHash(Path file) {
        return fileHash(file, new byte[CHUNK_BYTES]);
    }

    /**
     * The hotkey-salted hash put on chain: {@code base64(sha256(utf8(hash + hotkeySs58)))}. It binds
     * an upload to the hotkey that made it, so a copy committed by another hotkey does not verify.
     */
    public static String secureHash(String hash, String hotkeySs58) {
        requireNonNull(hash, "hash is null");
        requireNonNull(hotkeySs58, "hotkeySs58 is null");
        byte[] digest = sha256().digest((hash + hotkeySs58).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest);
    }

    private static void walk(Path directory, MessageDigest outer, byte[] buffer) {
        List<String> files = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.forEach(entry -> {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry)) {
                    directories.add(name);
                } else {
                    files.add(name);
                }
            });
        } catch (IOException e) {
            throw unreadable(directory, e);
        }
        files.sort(CODE_POINT_ORDER);
        directories.sort(CODE_POINT_ORDER);
        for (String file : files) {
            outer.update(fileHash(directory.resolve(file), buffer).getBytes(StandardCharsets.UTF_8));
        }
        for (String name : directories) {
            Path child = directory.resolve(name);
            if (!Files.isSymbolicLink(child) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                walk(child, outer, buffer);
            }
        }
    }

    private static String fileHash(Path file, byte[] buffer) {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Pretrain4jException unreadable(Path path, IOException e) {
        return new Pretrain4jException(
                DomainErrorCode.MODEL_FILES_UNREADABLE, "Cannot read " + path + " while hashing the model: " + e, e);
    }
}
