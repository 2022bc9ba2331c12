package io.pretrain4j.domain.hash;

import static io.pretrain4j.domain.Golden.asInt;
import static io.pretrain4j.domain.Golden.list;
import static io.pretrain4j.domain.Golden.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Golden;
import io.pretrain4j.domain.Pretrain4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against hashes CPython computed with the reference's os.walk algorithm (golden/model-hash.json). */
class ModelHashesTest {
    private static final Map<String, Object> GOLDEN = Golden.load("model-hash.json");

    @Test
    void directoryHashEqualsTheReference(@TempDir Path dir) throws IOException {
        writeFixture(dir);
        assertThat(ModelHashes.directoryHash(dir)).isEqualTo(GOLDEN.get("hash"));
    }

    @Test
    void fileHashesEqualTheReference(@TempDir Path dir) throws IOException {
        writeFixture(dir);
        map(GOLDEN.get("fileHashes"))
                .forEach((path, hash) -> assertThat(ModelHashes.fileHash(dir.resolve(path)))
                        .as(path)
                        .isEqualTo(hash));
    }

    @Test
    void secureHashEqualsTheReference() {
        assertThat(ModelHashes.secureHash((String) GOLDEN.get("hash"), (String) GOLDEN.get("hotkey")))
                .isEqualTo(GOLDEN.get("secureHash"));
    }

    @Test
    void emptyDirectoryHashesLikeTheReference(@TempDir Path dir) {
        assertThat(ModelHashes.directoryHash(dir)).isEqualTo(GOLDEN.get("emptyDirectoryHash"));
    }

    @Test
    void fileNamesAreNotHashedButOrderIs(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "first");
        Files.writeString(dir.resolve("b.txt"), "second");
        String original = ModelHashes.directoryHash(dir);
        Files.move(dir.resolve("a.txt"), dir.resolve("a2.txt"));
        assertThat(ModelHashes.directoryHash(dir)).isEqualTo(original);
        Files.move(dir.resolve("a2.txt"), dir.resolve("c.txt"));
        assertThat(ModelHashes.directoryHash(dir)).isNotEqualTo(original);
    }

    @Test
    void symbolicLinksToDirectoriesAreNotEnteredLikeOsWalk(@TempDir Path dir) throws IOException {
        Path model = Files.createDirectory(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        String before = ModelHashes.directoryHash(model);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("x.bin"), "x");
        Files.createSymbolicLink(model.resolve("link"), elsewhere);
        assertThat(ModelHashes.directoryHash(model)).isEqualTo(before);
    }

    @Test
    void aMissingDirectoryIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelHashes.directoryHash(dir.resolve("nope")))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("it is not a directory");
    }

    static void writeFixture(Path dir) throws IOException {
        for (Object entry : list(GOLDEN.get("files"))) {
            Map<String, Object> file = map(entry);
            Path path = dir.resolve((String) file.get("path"));
            Files.createDirectories(path.getParent());
            if (file.get("path").equals("config.json")) {
                Files.writeString(path, (String) GOLDEN.get("configText"), StandardCharsets.UTF_8);
                continue;
            }
            int size = asInt(file.get("size"));
            int mul = asInt(file.get("mul"));
            int add = asInt(file.get("add"));
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (((long) i * mul + add) % 251);
            }
            Files.write(path, bytes);
        }
    }

    @Test
    void filesHashEqualsTheHashOfAFlatDirectoryOfThoseFiles(@TempDir Path dir) throws Exception {
        Path flat = Files.createDirectories(dir.resolve("flat"));
        Path other = Files.createDirectories(dir.resolve("other"));
        List<Path> files = new ArrayList<>();
        for (String name : new String[] {"model.safetensors", "config.json", "Zeta.json", "tokenizer.json"}) {
            Files.writeString(flat.resolve(name), "content of " + name);
            files.add(Files.writeString(other.resolve(name), "content of " + name));
        }
        Files.writeString(other.resolve("README.md"), "not hashed");
        assertThat(ModelHashes.filesHash(files))
                .isEqualTo(ModelHashes.directoryHash(flat))
                .isNotEqualTo(ModelHashes.directoryHash(other));
    }

    @Test
    void theHashOfKnownDigestsEqualsTheHashOfTheFiles(@TempDir Path dir) throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String name : new String[] {"model.safetensors", "config.json", "Zeta.json"}) {
            byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve(name), content);
            digests.put(
                    name,
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }
        assertThat(ModelHashes.flatHashOfDigests(digests)).isEqualTo(ModelHashes.directoryHash(dir));
    }
}
