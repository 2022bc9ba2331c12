package io.pretrain4j.ports.store;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which files of a repo make the model, as {@code from_pretrained} and {@code AutoTokenizer} fetch
 * them (and so what the reference's directory hash covers): {@code config.json},
 * {@code generation_config.json}, safetensors weights and their index, and the tokenizer files.
 * Everything else (README, .gitattributes, pickles, subdirectories) is neither downloaded nor
 * hashed. File names are checked before any use as a path.
 */
public final class ModelFiles {
    private static final Set<String> NAMED = Set.of(
            "config.json",
            "generation_config.json",
            "model.safetensors.index.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "vocab.json",
            "merges.txt",
            "tokenizer.model",
            "added_tokens.json");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private ModelFiles() {}

    /** Whether the top-level file {@code name} is part of a model. */
    public static boolean isNeeded(String name) {
        return !name.contains("/")
                && (NAMED.contains(name) || name.toLowerCase(Locale.ROOT).endsWith(".safetensors"));
    }

    /**
     * Checks a repo file name before it becomes a path: one component of letters, digits,
     * {@code . _ -}, not starting with a dot; anything else (traversal, absolute paths, backslashes,
     * control characters, hidden files) is a hostile repo.
     */
    public static String checkName(String repoId, String name) {
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    repoId + ": refusing the file name '" + printable(name)
                            + "' (a model file is one plain name: letters, digits, '.', '_', '-')");
        }
        return name;
    }

    /** Checks that the needed files make a model: config.json and at least one safetensors file. */
    public static void checkComplete(String repoId, String commit, List<RepoFile> needed, List<RepoFile> all) {
        boolean config = needed.stream().anyMatch(f -> f.name().equals("config.json"));
        boolean weights = needed.stream().anyMatch(f -> f.name().endsWith(".safetensors"));
        if (!config || !weights) {
            boolean pickle = all.stream()
                    .anyMatch(f -> f.name().endsWith(".bin")
                            || f.name().endsWith(".pt")
                            || f.name().endsWith(".pth"));
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    repoId + "@" + commit + " has no "
                            + (config ? "" : "config.json" + (weights ? "" : " and no "))
                            + (weights ? "" : "safetensors weights")
                            + (pickle && !weights ? " (pickled weights are never loaded)" : ""));
        }
    }

    /** {@code name} with control characters escaped, for error messages. */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * The hash a validator computes for a model directory after downloading it: the reference's
     * directory hash over the files a model needs ({@link #isNeeded}), so README and the like do not count.
     * Miners put it (or the secure hash made from it) on chain.
     */
    public static String hash(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            return ModelHashes.filesHash(listing.filter(Files::isRegularFile)
                    .filter(file -> isNeeded(file.getFileName().toString()))
                    .toList());
        } catch (IOException e) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID, "cannot list " + directory + ": " + e, e);
        }
    }

    /**
     * The model files at the top of {@code directory}, sorted, with safe names and making a model
     * (config.json and safetensors): what a store publishes.
     *
     * @throws Pretrain4jException {@link ModelStoreErrorCode#MODEL_FILES_INVALID}
     */
    public static List<Path> publishable(String repoId, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, directory + " is not a directory");
        }
        try (Stream<Path> listing = Files.list(directory)) {
            List<Path> files = listing.filter(Files::isRegularFile)
                    .filter(p -> isNeeded(p.getFileName().toString()))
                    .sorted()
                    .toList();
            List<RepoFile> asRepo = new ArrayList<>();
            for (Path file : files) {
                checkName(repoId, file.getFileName().toString());
                asRepo.add(new RepoFile(
                        file.getFileName().toString(), Files.size(file), Optional.empty(), Optional.empty()));
            }
            checkComplete(repoId, directory.toString(), asRepo, asRepo);
            return files;
        } catch (IOException e) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot list " + directory + ": " + e, e);
        }
    }
}
