package io.pretrain4j.app.miner.cli;

import io.pretrain4j.domain.model.ModelSpec;

/** The miner's named sizes, for tests outside the package. */
public final class TestSizes {
    private TestSizes() {}

    public static ModelSpec tinyGpt2(int sequenceLength) {
        return ModelSource.named("tiny-gpt2", 50257, sequenceLength, 77);
    }
}
