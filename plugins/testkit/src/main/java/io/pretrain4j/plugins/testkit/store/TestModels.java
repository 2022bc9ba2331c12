package io.pretrain4j.plugins.testkit.store;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.ports.store.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Small model directories for store tests: a real tiny GPT-2 in safetensors plus files a repo carries. */
public final class TestModels {
    private TestModels() {}

    /**
     * Writes a tiny GPT-2 ({@code config.json}, {@code model.safetensors}), a tokenizer config, and
     * a README and a pickle that are not model files, into {@code dir}. {@code seed} changes the weights.
     */
    public static Path write(Path dir, long seed) {
        try {
            SyntheticModels.write(dir, ModelSpec.gpt2(96, 16, 1, 2, 32).withSeed(seed));
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1024}\n");
            Files.writeString(dir.resolve("README.md"), "# a model card, not part of the model\n");
            Files.write(dir.resolve("training_args.bin"), new byte[] {(byte) 0x80, 0x04, 0x4b, 0x01, 0x2e});
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the model files only (what a store must deliver), for hash comparisons. */
    public static Path modelFilesOnly(Path source, Path copy) {
        try {
            Files.createDirectories(copy);
            try (Stream<Path> listing = Files.list(source)) {
                for (Path file : listing.toList()) {
                    String name = file.getFileName().toString();
                    if (ModelFiles.isNeeded(name)) {
                        Files.copy(file, copy.resolve(name));
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
