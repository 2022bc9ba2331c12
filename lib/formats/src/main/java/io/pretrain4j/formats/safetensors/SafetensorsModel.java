package io.pretrain4j.formats.safetensors;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.formats.json.MiniJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors} (an index beside it is
 * ignored, as transformers ignores it), or else the shards listed by {@code model.safetensors.index.json}.
 * Pickled checkpoints ({@code *.bin}, {@code *.pt}) are
 * never read. Shard names in the index must be plain file names inside the directory, and the
 * index must agree with the shards exactly.
 */
public final class SafetensorsModel implements AutoCloseable {
    /** The single-file name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final long MAX_INDEX_BYTES = 64L * 1024 * 1024;

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final Map<String, TensorEntry> tensors;

    private SafetensorsModel(
            Path directory,
            List<SafetensorsFile> files,
            Map<String, SafetensorsFile> fileOf,
            Map<String, TensorEntry> tensors) {
        this.directory = directory;
        this.files = List.copyOf(files);
        this.fileOf = fileOf;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Opens the weights in {@code directory}. */
    public static SafetensorsModel open(Path directory) {
        requireNonNull(directory, "directory is null");
        if (!Files.isDirectory(directory)) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, directory + " is not a directory");
        }
        // transformers looks for the single file first and reads an index only when there is none
        // (modeling_utils: SAFE_WEIGHTS_NAME before SAFE_WEIGHTS_INDEX_NAME); an index beside the file is ignored
        Path index = directory.resolve(INDEX_FILE);
        Path single = directory.resolve(SINGLE_FILE);
        if (!Files.isRegularFile(single) && Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            file.header().tensors().keySet().forEach(name -> fileOf.put(name, file));
            return new SafetensorsModel(
                    directory,
                    List.of(file),
                    fileOf,
                    new LinkedHashMap<>(file.header().tensors()));
        }
        String pickles = pickledFiles(directory);
        throw new Pretrain4jException(
                DomainErrorCode.INVALID_SAFETENSORS,
                directory + ": no " + SINGLE_FILE + " or " + INDEX_FILE
                        + (pickles.isEmpty() ? "" : " (found " + pickles + "; pickled weights are never loaded)"));
    }

    private static SafetensorsModel openSharded(Path directory, Path index) {
        String source = index.toString();
        Object root;
        try {
            if (Files.size(index) > MAX_INDEX_BYTES) {
                throw SafetensorsHeader.invalid(source, "index is larger than " + MAX_INDEX_BYTES + " bytes");
            }
            root = MiniJson.parse(Files.readString(index, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Pretrain4jException(DomainErrorCode.MODEL_FILES_UNREADABLE, source + ": cannot read: " + e, e);
        } catch (MiniJson.JsonSyntaxException e) {
            throw SafetensorsHeader.invalid(source, "index is not well-formed JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> object)
                || !(object.get("weight_map") instanceof Map<?, ?> weightMap)
                || weightMap.isEmpty()) {
            throw SafetensorsHeader.invalid(source, "index needs a non-empty weight_map object");
        }
        Map<String, String> shardOf = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : weightMap.entrySet()) {
            if (!(e.getValue() instanceof String shard)) {
                throw SafetensorsHeader.invalid(source, "weight_map['" + e.getKey() + "'] must be a file name");
            }
            checkShardName(shard, source);
            shardOf.put((String) e.getKey(), shard);
        }
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        try {
            Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
            for (String shard : new LinkedHashSet<>(shardOf.values())) {
                Path shardPath = directory.resolve(shard);
                if (!Files.isRegularFile(shardPath, LinkOption.NOFOLLOW_LINKS)) {
                    throw SafetensorsHeader.invalid(source, "shard '" + shard + "' is missing or not a regular file");
                }
                SafetensorsFile file = SafetensorsFile.open(shardPath);
                files.add(file);
                opened.put(shard, file);
            }
            for (Map.Entry<String, SafetensorsFile> shard : opened.entrySet()) {
                for (TensorEntry entry : shard.getValue().header().tensors().values()) {
                    String listed = shardOf.get(entry.name());
                    if (!shard.getKey().equals(listed)) {
                        throw SafetensorsHeader.invalid(
                                source,
                                "tensor '" + entry.name() + "' is in shard '" + shard.getKey() + "' but the index "
                                        + (listed == null ? "does not list it" : "puts it in '" + listed + "'"));
                    }
                    tensors.put(entry.name(), entry);
                    fileOf.put(entry.name(), shard.getValue());
                }
            }
            for (Map.Entry<String, String> listed : shardOf.entrySet()) {
                if (!tensors.containsKey(listed.getKey())) {
                    throw SafetensorsHeader.invalid(
                            source,
                            "index lists tensor '" + listed.getKey() + "' in shard '" + listed.getValue()
                                    + "', which does not hold it");
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsModel(directory, files, fileOf, tensors);
    }

    private static void checkShardName(String shard, String source) {
        boolean plain = !shard.isEmpty()
                && shard.length() <= 255
                && !shard.equals(".")
                && !shard.equals("..")
                && shard.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '\\');
        if (!plain || !shard.endsWith(".safetensors")) {
            throw SafetensorsHeader.invalid(
                    source,
                    "shard name '" + shard.replaceAll("\\p{Cntrl}", "?")
                            + "' must be a plain *.safetensors file name in the model directory");
        }
    }

    private static String pickledFiles(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return String.join(
                    ", ",
                    list.map(p -> p.getFileName().toString())
                            .filter(n ->
                                    n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".pkl"))
                            .sorted()
                            .limit(3)
                            .toList());
        } catch (IOException e) {
            return "";
        }
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    /** All tensors by name. */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    /** Whether a tensor of this name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Total size of the tensor data in bytes. */
    public long dataBytes() {
        return tensors.values().stream().mapToLong(TensorEntry::byteLength).sum();
    }

    /** See {@link SafetensorsFile#readFloats(TensorEntry, long, int, ByteBuffer)}. */
    public void readFloats(String name, long first, int count, ByteBuffer destination) {
        TensorEntry entry = tensors.get(name);
        if (entry == null) {
            throw SafetensorsHeader.invalid(directory.toString(), "has no tensor '" + name + "'");
        }
        fileOf.get(name).readFloats(entry, first, count, destination);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
