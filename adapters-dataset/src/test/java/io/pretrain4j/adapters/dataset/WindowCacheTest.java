package io.pretrain4j.adapters.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.adapters.dataset.local.LocalDatasetFactory;
import io.pretrain4j.adapters.dataset.tokenizer.JTokkitTokenizerFactory;
import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.evaluation.WindowCache;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowCacheTest {
    private static final TextDataset BROWN = new LocalDatasetFactory().create(Map.of());
    private static final Tokenizer GPT2 = new JTokkitTokenizerFactory().create(Map.of("id", "gpt2"));
    private static final EvalWindows.Request REQUEST = EvalWindows.Request.of(BigInteger.valueOf(42), 3, 256);

    @TempDir
    Path dir;

    private final AtomicInteger builds = new AtomicInteger();

    private EvalWindows.Result get(WindowCache cache, EvalWindows.Request request) {
        return cache.get(WindowCache.key(BROWN.id(), GPT2.id(), request), () -> {
            builds.incrementAndGet();
            return EvalWindows.build(BROWN, GPT2, request);
        });
    }

    @Test
    void theModelsOfAStepShareOneBuild() {
        WindowCache cache = new WindowCache(Optional.empty(), 1 << 24);
        EvalWindows.Result first = get(cache, REQUEST);
        for (int model = 0; model < 5; model++) {
            assertThat(get(cache, REQUEST)).isSameAs(first);
        }
        assertThat(builds).hasValue(1);
        assertThat(first.windows()).hasSize((int) Math.min(50, first.tokens() / 256));
        assertThat(first.documents()).isEqualTo(12); // 3 pages of 4 rows
    }

    @Test
    void aRestartedValidatorReadsTheWindowsFromDisk() {
        EvalWindows.Result built = get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        EvalWindows.Result read = get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        assertThat(builds).hasValue(1);
        assertThat(read.sha256()).isEqualTo(built.sha256());
        assertThat(Packing.sameWindows(read.windows(), built.windows())).isTrue();
        assertThat(read.pages()).isEqualTo(built.pages());
    }

    @Test
    void aDamagedFileIsRebuiltNotTrusted() throws IOException {
        EvalWindows.Result built = get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        Path file = onlyFile();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x01; // one token changed
        Files.write(file, bytes);
        EvalWindows.Result afterFlip = get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        assertThat(builds).hasValue(2);
        assertThat(afterFlip.sha256()).isEqualTo(built.sha256());

        Files.write(onlyFile(), Arrays.copyOf(Files.readAllBytes(onlyFile()), 100)); // truncated
        get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        assertThat(builds).hasValue(3);
        get(new WindowCache(Optional.of(dir), 1 << 24), REQUEST);
        assertThat(builds).hasValue(3); // the rebuilt file is good again
    }

    @Test
    void memoryIsBoundedByTokens() {
        WindowCache cache = new WindowCache(Optional.empty(), 50 * 256 + 1);
        EvalWindows.Request other = EvalWindows.Request.of(BigInteger.valueOf(43), 3, 256);
        get(cache, REQUEST);
        get(cache, other);
        get(cache, REQUEST); // evicted by the other one: built again
        assertThat(builds).hasValue(3);
        assertThat(WindowCache.key("a", "b", REQUEST))
                .isNotEqualTo(WindowCache.key("a", "b", other))
                .hasSize(64);
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
