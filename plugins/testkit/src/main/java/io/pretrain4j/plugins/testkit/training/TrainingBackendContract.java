package io.pretrain4j.plugins.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.ModelSpec.Family;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.ports.inference.CausalLanguageModel;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.training.TrainableModel;
import io.pretrain4j.ports.training.TrainableModel.AdamW;
import io.pretrain4j.ports.training.TrainingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of a {@link TrainingBackend}, for pretrain4j's backends and third parties': on tiny
 * GPT-2, Llama and Qwen2 shapes it learns a pattern; the model it saves scores, in an inference
 * backend, the loss it trained on; what it saves and reloads is bit-identical; BF16 saves are
 * readable; and a run resumed from a saved model and optimizer state ends where an uninterrupted
 * run ends. Subclass it and supply both backends (CPU, fp32).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TrainingBackendContract {
    private TrainingBackend training;
    private InferenceBackend inference;

    /** The training backend under test. */
    protected abstract TrainingBackend createTrainingBackend();

    /** The inference backend validators use, to check what the trainer saves. */
    protected abstract InferenceBackend createInferenceBackend();

    @BeforeAll
    final void open() {
        training = createTrainingBackend();
        inference = createInferenceBackend();
    }

    @AfterAll
    final void close() {
        training.close();
        inference.close();
    }

    /** The shapes the contract trains. */
    public enum Shape {
        GPT2(new ModelSpec(Family.GPT2, 64, 32, 2, 4, 4, 64, 64, true, SafetensorsDType.F32, 0.02, 11, 0)),
        LLAMA(new ModelSpec(Family.LLAMA, 64, 32, 2, 4, 2, 48, 64, false, SafetensorsDType.F32, 0.02, 12, 0)),
        QWEN2(new ModelSpec(Family.QWEN2, 64, 32, 1, 4, 2, 48, 64, true, SafetensorsDType.F32, 0.02, 13, 0));

        final ModelSpec spec;

        Shape(ModelSpec spec) {
            this.spec = spec;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    public void itLearnsAPatternAndTheSavedModelScoresTheSameInTheInferenceBackend(Shape shape, @TempDir Path dir) {
        List<int[]> windows = patterned(4, 32, 7);
        try (TrainableModel model = training.create(shape.spec)) {
            double first = model.accumulate(windows, 1.0);
            model.step(AdamW.standard(), 1e-2, 1.0);
            double last = first;
            for (int step = 0; step < 40; step++) {
                last = model.accumulate(windows, 1.0);
                model.step(AdamW.standard(), 1e-2, 1.0);
            }
            assertThat(first).isCloseTo(Math.log(64), within(0.2));
            assertThat(last).as("loss after 41 steps").isLessThan(first / 3);
            assertThat(model.steps()).isEqualTo(41);

            double trainerLoss = model.accumulate(windows, 0.0);
            model.save(dir.resolve("saved"), SafetensorsDType.F32);
            try (CausalLanguageModel loaded = inference.load(dir.resolve("saved"))) {
                double[] losses = loaded.windowLosses(windows);
                double mean = (losses[0] + losses[1] + losses[2] + losses[3]) / 4;
                assertThat(mean).isCloseTo(trainerLoss, within(1e-4));
                assertThat(loaded.parameterCount()).isEqualTo(model.parameterCount());
            }
        }
    }

    @Test
    public void savingWhatWasLoadedGivesTheSameBytesAndBf16IsReadable(@TempDir Path dir) throws Exception {
        try (TrainableModel model = training.create(Shape.LLAMA.spec)) {
            model.accumulate(patterned(2, 16, 3), 1.0);
            model.step(AdamW.standard(), 1e-3, 1.0);
            model.save(dir.resolve("a"), SafetensorsDType.F32);
            model.save(dir.resolve("bf16"), SafetensorsDType.BF16);
        }
        try (TrainableModel reloaded = training.load(dir.resolve("a"))) {
            reloaded.save(dir.resolve("b"), SafetensorsDType.F32);
        }
        assertThat(Files.readAllBytes(dir.resolve("b/model.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("a/model.safetensors")));
        assertThat(Files.readString(dir.resolve("bf16/config.json"))).contains("\"torch_dtype\": \"bfloat16\"");
        assertThat(Files.size(dir.resolve("bf16/model.safetensors")))
                .isLessThan(Files.size(dir.resolve("a/model.safetensors")) * 6 / 10);
        try (CausalLanguageModel a = inference.load(dir.resolve("a"));
                CausalLanguageModel bf16 = inference.load(dir.resolve("bf16"))) {
            List<int[]> windows = patterned(2, 16, 5);
            assertThat(bf16.windowLosses(windows)[0]).isCloseTo(a.windowLosses(windows)[0], within(0.05));
        }
        assertThat(dir.resolve(".a.partial")).doesNotExist();
    }

    @Test
    public void resumingFromASavedModelAndOptimizerIsExact(@TempDir Path dir) {
        List<List<int[]>> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(patterned(2, 16, 20 + i));
        }
        float[] straight;
        try (TrainableModel model = training.create(Shape.GPT2.spec)) {
            for (List<int[]> batch : batches) {
                model.accumulate(batch, 1.0);
                model.step(AdamW.standard(), 5e-3, 1.0);
            }
            model.save(dir.resolve("straight"), SafetensorsDType.F32);
        }
        try (TrainableModel model = training.create(Shape.GPT2.spec)) {
            for (List<int[]> batch : batches.subList(0, 2)) {
                model.accumulate(batch, 1.0);
                model.step(AdamW.standard(), 5e-3, 1.0);
            }
            model.save(dir.resolve("checkpoint"), SafetensorsDType.F32);
            model.saveOptimizer(dir.resolve("checkpoint/optimizer.safetensors"));
        }
        try (TrainableModel resumed = training.load(dir.resolve("checkpoint"))) {
            resumed.loadOptimizer(dir.resolve("checkpoint/optimizer.safetensors"));
            assertThat(resumed.steps()).isEqualTo(2);
            for (List<int[]> batch : batches.subList(2, 4)) {
                resumed.accumulate(batch, 1.0);
                resumed.step(AdamW.standard(), 5e-3, 1.0);
            }
            resumed.save(dir.resolve("resumed"), SafetensorsDType.F32);
        }
        try (CausalLanguageModel a = inference.load(dir.resolve("straight"));
                CausalLanguageModel b = inference.load(dir.resolve("resumed"))) {
            List<int[]> probe = patterned(2, 16, 99);
            assertThat(b.windowLosses(probe)[0]).isCloseTo(a.windowLosses(probe)[0], within(1e-6));
        }
        try (TrainableModel other = training.create(Shape.LLAMA.spec)) {
            assertThatThrownBy(() -> other.loadOptimizer(dir.resolve("checkpoint/optimizer.safetensors")))
                    .hasMessageContaining("model.embed_tokens.weight");
        }
    }

    /** Windows of a repeating pattern with an offset per window: learnable, not constant. */
    private static List<int[]> patterned(int count, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] pattern = {5, 17, 33, 2, 60, 41, 9};
        List<int[]> windows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int offset = random.nextInt(pattern.length);
            int[] window = new int[length];
            for (int t = 0; t < length; t++) {
                window[t] = pattern[(offset + t) % pattern.length];
            }
            windows.add(window);
        }
        return windows;
    }
}
