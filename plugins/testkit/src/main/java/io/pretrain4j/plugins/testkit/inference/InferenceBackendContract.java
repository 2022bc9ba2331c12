package io.pretrain4j.plugins.testkit.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link InferenceBackend} must meet, as a JUnit 5 suite: extend it, return
 * your backend (CPU, fp32) from {@link #createBackend()}, and run it with your tests.
 *
 * <p>Tiny random models of each supported family are written as safetensors, and the backend's
 * per-window losses are compared with {@link NaiveCausalLm}, an independent double-precision
 * forward pass, within {@link #RELATIVE_TOLERANCE}. Then the invariants: all-zero weights give
 * ln(vocab), batching and order do not change a window's loss, greedy generation follows the
 * reference, and bad windows or models are refused with the right error code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class InferenceBackendContract {
    /** Agreement required with the double-precision reference. */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private InferenceBackend backend;

    /** The backend under test, on the CPU in fp32. */
    protected abstract InferenceBackend createBackend();

    @BeforeAll
    final void startBackend() {
        backend = createBackend();
    }

    @AfterAll
    final void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** The backend, for subclasses' own tests. */
    protected final InferenceBackend backend() {
        return backend;
    }

    /** A tiny model of {@code family}: vocab 512, width 64, 2 layers, 4 heads (2 key/value heads for Llama). */
    public static ModelSpec tiny(Family family) {
        ModelSpec base = family == Family.GPT2
                ? ModelSpec.gpt2(512, 64, 2, 4, 64)
                : ModelSpec.llama(512, 64, 2, 4, 2, 128, 64).withFamily(family);
        return base.withStd(0.15).withSeed(family.ordinal() + 11L);
    }

    /** The model variants every backend must compute: each family, tied and untied, F32 and BF16. */
    public static Stream<ModelSpec> variants() {
        return Stream.of(
                tiny(Family.GPT2),
                tiny(Family.GPT2).withTied(false).withDtype(SafetensorsDType.BF16),
                tiny(Family.LLAMA),
                tiny(Family.LLAMA).withTied(true).withDtype(SafetensorsDType.BF16),
                tiny(Family.QWEN2).withDtype(SafetensorsDType.BF16),
                tiny(Family.MISTRAL).withTied(true).withDtype(SafetensorsDType.F16));
    }

    /** Seeded random windows of token ids. */
    public static List<int[]> windows(int count, int length, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            windows.add(random.ints(length, 0, vocab).toArray());
        }
        return windows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lossesMatchTheNaiveReference(ModelSpec spec, @TempDir Path directory) {
        SyntheticModels.write(directory, spec);
        List<int[]> windows = windows(3, 33, spec.vocab(), 5);
        NaiveCausalLm naive = new NaiveCausalLm(directory, spec);
        try (CausalLanguageModel model = backend.load(directory)) {
            assertThat(model.architecture()).isEqualTo(spec.family().architecture());
            assertThat(model.parameterCount()).isEqualTo(spec.parameterCount());
            assertThat(model.vocabSize()).isEqualTo(spec.vocab());
            double[] losses = model.windowLosses(windows);
            assertThat(losses).hasSize(3);
            for (int i = 0; i < windows.size(); i++) {
                double expected = naive.windowLoss(windows.get(i));
                assertThat(losses[i])
                        .as("window %d of %s", i, spec)
                        .isCloseTo(expected, within(expected * RELATIVE_TOLERANCE));
            }
            // a random model is far from uniform: the comparison is not trivially ln(vocab)
            assertThat(Math.abs(losses[0] - Math.log(spec.vocab()))).isGreaterThan(0.05);
        }
    }

    @Test
    void allZeroWeightsGiveTheLogOfTheVocabulary(@TempDir Path directory) {
        for (Family family : List.of(Family.GPT2, Family.LLAMA)) {
            Path modelDirectory = directory.resolve(family.name());
            SyntheticModels.write(modelDirectory, tiny(family).withStd(0));
            try (CausalLanguageModel model = backend.load(modelDirectory)) {
                double[] losses = model.windowLosses(windows(2, 17, 512, 3));
                for (double loss : losses) {
                    assertThat(loss).isCloseTo(Math.log(512), within(1e-5));
                }
            }
        }
    }

    @Test
    void batchingAndOrderDoNotChangeAWindowsLoss(@TempDir Path directory) {
        ModelSpec spec = tiny(Family.LLAMA);
        SyntheticModels.write(directory, spec);
        List<int[]> windows = windows(5, 40, spec.vocab(), 9);
        try (CausalLanguageModel model = backend.load(directory)) {
            double[] batched = model.windowLosses(windows);
            double[] again = model.windowLosses(windows);
            assertThat(again).containsExactly(batched);
            for (int i = 0; i < windows.size(); i++) {
                double alone = model.windowLosses(List.of(windows.get(i)))[0];
                assertThat(alone)
                        .as("window %d alone vs batched", i)
                        .isCloseTo(batched[i], within(Math.abs(batched[i]) * 1e-6));
            }
            List<int[]> reversed = new ArrayList<>(windows);
            Collections.reverse(reversed);
            double[] reversedLosses = model.windowLosses(reversed);
            for (int i = 0; i < windows.size(); i++) {
                assertThat(reversedLosses[windows.size() - 1 - i])
                        .isCloseTo(batched[i], within(Math.abs(batched[i]) * 1e-6));
            }
            // windows of different lengths in one call
            List<int[]> mixed = List.of(windows.get(0), Arrays.copyOf(windows.get(1), 20), windows.get(2));
            double[] mixedLosses = model.windowLosses(mixed);
            assertThat(mixedLosses[0]).isCloseTo(batched[0], within(Math.abs(batched[0]) * 1e-6));
            assertThat(mixedLosses[2]).isCloseTo(batched[2], within(Math.abs(batched[2]) * 1e-6));
        }
    }

    @Test
    void greedyGenerationFollowsTheReference(@TempDir Path directory) {
        ModelSpec spec = tiny(Family.GPT2);
        SyntheticModels.write(directory, spec);
        NaiveCausalLm naive = new NaiveCausalLm(directory, spec);
        int[] prompt = windows(1, 12, spec.vocab(), 21).get(0);
        try (CausalLanguageModel model = backend.load(directory)) {
            int[] expected = naive.greedy(prompt, 6, -1);
            assertThat(model.generateGreedy(prompt, 6, -1)).containsExactly(expected);
            int[] suppressed = model.generateGreedy(prompt, 6, expected[0]);
            assertThat(suppressed[0]).isNotEqualTo(expected[0]);
            assertThat(suppressed).containsExactly(naive.greedy(prompt, 6, expected[0]));
        }
    }

    @Test
    void refusesWindowsItCannotScore(@TempDir Path directory) {
        ModelSpec spec = tiny(Family.GPT2);
        SyntheticModels.write(directory, spec);
        try (CausalLanguageModel model = backend.load(directory)) {
            assertThat(model.maxSequenceLength()).isEqualTo(64);
            assertInvalidInput(() -> model.windowLosses(List.of(new int[] {1})), "at least 2");
            assertInvalidInput(() -> model.windowLosses(List.of(new int[65])), "at most 64");
            assertInvalidInput(() -> model.windowLosses(List.of(new int[] {1, 512})), "outside the vocabulary");
            assertInvalidInput(() -> model.windowLosses(List.of(new int[] {-1, 2})), "outside the vocabulary");
        }
    }

    @Test
    void shardedCheckpointsLoadLikeSingleFiles(@TempDir Path directory) {
        ModelSpec spec = tiny(Family.LLAMA);
        Path single = SyntheticModels.write(directory.resolve("single"), spec);
        Path sharded = SyntheticModels.write(directory.resolve("sharded"), spec.withMaxShardBytes(200_000));
        assertThat(sharded.resolve("model.safetensors.index.json")).exists();
        List<int[]> windows = windows(2, 20, spec.vocab(), 4);
        try (CausalLanguageModel a = backend.load(single);
                CausalLanguageModel b = backend.load(sharded)) {
            assertThat(b.windowLosses(windows)).containsExactly(a.windowLosses(windows));
        }
    }

    @Test
    void refusesBrokenModelsWithTheirReason(@TempDir Path directory) throws IOException {
        ModelSpec spec = tiny(Family.LLAMA);
        Path model = SyntheticModels.write(directory.resolve("m"), spec);
        Files.writeString(
                model.resolve("config.json"),
                SyntheticModels.configJson(spec).replace("\"hidden_size\": 64", "\"hidden_size\": 96"));
        assertThatThrownBy(() -> backend.load(model)).isInstanceOfSatisfying(Pretrain4jException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.MODEL_INVALID);
            assertThat(e).hasMessageContaining("model.embed_tokens.weight").hasMessageContaining("[512, 64]");
        });
        // the class transformers builds comes from model_type, not from architectures
        Files.writeString(
                model.resolve("config.json"),
                SyntheticModels.configJson(spec).replace("\"model_type\": \"llama\"", "\"model_type\": \"bert\""));
        assertThatThrownBy(() -> backend.load(model)).isInstanceOfSatisfying(Pretrain4jException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.MODEL_UNSUPPORTED);
            assertThat(e).hasMessageContaining("model_type \"bert\" is not supported");
        });
    }

    private static void assertInvalidInput(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Pretrain4jException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.INPUT_INVALID);
            assertThat(e).hasMessageContaining(message);
        });
    }
}
