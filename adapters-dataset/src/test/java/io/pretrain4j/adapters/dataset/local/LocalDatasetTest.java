package io.pretrain4j.adapters.dataset.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.plugins.testkit.dataset.TextDatasetContract;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.TextDataset;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDatasetTest {
    @TempDir
    Path dir;

    @Nested
    class ShippedSampleContract extends TextDatasetContract {
        @Override
        protected TextDataset createDataset() {
            return new LocalDatasetFactory().create(Map.of());
        }
    }

    @Nested
    class FileContract extends TextDatasetContract {
        @Override
        protected TextDataset createDataset() {
            try {
                Path file = dir.resolve("small.jsonl");
                if (!Files.exists(file)) {
                    StringBuilder lines = new StringBuilder();
                    for (int i = 0; i < 40; i++) {
                        lines.append("{\"content\": \"document ")
                                .append(i)
                                .append(" says ")
                                .append("word ".repeat(10 + i))
                                .append("\"}\n");
                    }
                    Files.writeString(file, lines);
                }
                return new LocalDatasetFactory().create(Map.of("path", file.toString(), "rows-per-page", "2"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theShippedSampleIsTheBrownCorpusSubset() {
        LocalDataset dataset = (LocalDataset) new LocalDatasetFactory().create(Map.of());
        assertThat(dataset.load()).hasSize(250);
        assertThat(dataset.load().get(0)).startsWith("The Fulton County Grand Jury said Friday");
        assertThat(dataset.id()).startsWith("local:brown-sample@").contains("rows-per-page=4");
    }

    @Test
    void readsADirectoryOfPlainAndGzippedFilesInNameOrder() throws IOException {
        Files.writeString(dir.resolve("b.jsonl"), "{\"text\": \"second\"}\n\n{\"text\": \"third\"}");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("a.jsonl.gz")))) {
            out.write("{\"text\": \"first\", \"source\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("ignored.txt"), "not json");
        TextDataset dataset = new LocalDatasetFactory().create(Map.of("path", dir.toString(), "rows-per-page", "2"));
        assertThat(dataset.fetch(new Page("default", "train", 0, 2))).containsExactly("first", "second");
        assertThat(dataset.fetch(new Page("default", "train", 2, 2))).containsExactly("third");
    }

    @Test
    void malformedLinesAreNamedByFileAndLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"text\": \"ok\"}\n{\"text\": \"broken\n");
        assertThatThrownBy(() -> new LocalDatasetFactory()
                        .create(Map.of("path", file.toString()))
                        .sampler(1))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("bad.jsonl:2: not JSON")
                .extracting(e -> ((Pretrain4jException) e).errorCode())
                .isEqualTo(DatasetErrorCode.DATASET_INVALID);

        Files.writeString(file, "{\"text\": \"ok\"}\n{\"body\": \"x\", \"title\": 3}\n");
        assertThatThrownBy(() -> new LocalDatasetFactory()
                        .create(Map.of("path", file.toString()))
                        .sampler(1))
                .hasMessageContaining("bad.jsonl:2: no string field 'text' or 'content'; the object has [body, title]");

        Files.write(file, new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xff, '"', '}'});
        assertThatThrownBy(() -> new LocalDatasetFactory()
                        .create(Map.of("path", file.toString()))
                        .sampler(1))
                .hasMessageContaining("bad.jsonl:1: not valid UTF-8");
    }

    @Test
    void theIdChangesWithTheContent() throws IOException {
        Path file = dir.resolve("c.jsonl");
        Files.writeString(file, "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        String before = new LocalDatasetFactory()
                .create(Map.of("path", file.toString(), "rows-per-page", "1"))
                .id();
        Files.writeString(file, "{\"text\": \"one\"}\n{\"text\": \"TWO\"}\n");
        String after = new LocalDatasetFactory()
                .create(Map.of("path", file.toString(), "rows-per-page", "1"))
                .id();
        assertThat(before).isNotEqualTo(after);
    }

    @Test
    void configurationProblemsAreListedTogether() {
        assertThatThrownBy(() -> new LocalDatasetFactory()
                        .create(Map.of(
                                "path",
                                dir.resolve("missing").toString(),
                                "rows-per-page",
                                "500",
                                "rows-per-pag",
                                "1")))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("unknown key 'rows-per-pag' (did you mean 'rows-per-page'?)")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("rows-per-page 500 must be in [1, 100]")
                .extracting(e -> ((Pretrain4jException) e).errorCode())
                .isEqualTo(PortErrorCode.INVALID_CONFIG);
    }

    @Test
    void tooFewDocumentsForAPageIsAClearError() throws IOException {
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"text\": \"only\"}\n");
        assertThatThrownBy(() -> new LocalDatasetFactory()
                        .create(Map.of("path", file.toString(), "rows-per-page", "3"))
                        .sampler(2))
                .hasMessageContaining("has 1 documents, fewer than one page of 3");
    }
}
