package io.pretrain4j.app.validator.demo;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SafetensorsWriter;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small Llama-architecture models of known quality, fitted by counting tokens instead of by
 * gradient descent, so that a demo on two CPU cores has a clear ranking within seconds.
 *
 * <p>The models have one decoder layer whose attention and MLP outputs are zero, so the logits are
 * {@code lm_head . RMSNorm(embedding)}. Each token's embedding is a sum of two unit vectors: its
 * "context slot" (one of the {@code hidden - 2} most frequent tokens, or a shared slot for all
 * others) and a constant bias slot; the final norm's weight rescales the normalised vector back to
 * those unit vectors. The output column of the bias slot holds the smoothed unigram log-probability
 * of every token; the column of a context slot holds the bigram correction
 * {@code log p(y | context) - log p(y)}. A unigram model leaves the corrections at zero.
 */
public final class CountedModels {
    /** Smoothing of unigram counts (added to every token's count). */
    private static final double UNIGRAM_SMOOTHING = 0.5;
    /** Dirichlet prior weight of the unigram in each bigram distribution. */
    private static final double BIGRAM_PRIOR = 20;

    private final int vocab;
    private final int hidden;
    private final int eos;
    private final long[] unigram;
    private final int[] contexts;
    private final long[][] bigram;
    private final long tokens;

    private CountedModels(
            int vocab, int hidden, int eos, long[] unigram, int[] contexts, long[][] bigram, long tokens) {
        this.vocab = vocab;
        this.hidden = hidden;
        this.eos = eos;
        this.unigram = unigram;
        this.contexts = contexts;
        this.bigram = bigram;
        this.tokens = tokens;
    }

    /**
     * Counts tokens and the bigrams that follow the {@code hidden - 2} most frequent tokens over
     * documents, each followed by {@code eos} as the validator packs them.
     */
    public static CountedModels count(List<int[]> documents, int vocab, int hidden, int eos) {
        if (hidden < 4 || hidden % 2 != 0) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "hidden must be even and >= 4, got " + hidden);
        }
        long[] unigram = new long[vocab];
        long total = 0;
        for (int[] document : documents) {
            for (int token : document) {
                unigram[check(token, vocab)]++;
            }
            unigram[eos]++;
            total += document.length + 1;
        }
        int slots = hidden - 2;
        Integer[] order = new Integer[vocab];
        Arrays.setAll(order, i -> i);
        Arrays.sort(
                order,
                (a, b) -> unigram[a] != unigram[b] ? Long.compare(unigram[b], unigram[a]) : Integer.compare(a, b));
        int[] contexts = new int[slots];
        int[] slotOf = new int[vocab];
        Arrays.fill(slotOf, -1);
        for (int i = 0; i < slots; i++) {
            contexts[i] = order[i];
            slotOf[order[i]] = i;
        }
        long[][] bigram = new long[slots][vocab];
        int previous = -1;
        for (int[] document : documents) {
            for (int t = 0; t <= document.length; t++) {
                int token = t < document.length ? document[t] : eos;
                if (previous >= 0 && slotOf[previous] >= 0) {
                    bigram[slotOf[previous]][token]++;
                }
                previous = token;
            }
        }
        return new CountedModels(vocab, hidden, eos, unigram, contexts, bigram, total);
    }

    /** Tokens counted. */
    public long tokens() {
        return tokens;
    }

    /** The Llama shape all models here share (untied, F32). */
    public ModelSpec spec(long seed) {
        return new ModelSpec(
                ModelSpec.Family.LLAMA,
                vocab,
                hidden,
                1,
                2,
                2,
                hidden,
                1024,
                false,
                SafetensorsDType.F32,
                0.02,
                seed,
                0);
    }

    /** Writes an untrained model (random weights, std 0.02) of the same shape. */
    public Path writeUntrained(Path directory, long seed) {
        return SyntheticModels.write(directory, spec(seed));
    }

    /** Writes the unigram model, or with {@code bigram} the bigram model. */
    public Path write(Path directory, boolean withBigrams) {
        ModelSpec spec = spec(0);
        double[] logUnigram = new double[vocab];
        double denominator = tokens + UNIGRAM_SMOOTHING * vocab;
        for (int y = 0; y < vocab; y++) {
            logUnigram[y] = Math.log((unigram[y] + UNIGRAM_SMOOTHING) / denominator);
        }
        int slots = hidden - 2;
        int otherSlot = slots;
        int biasSlot = slots + 1;
        float[] embedding = new float[vocab * hidden];
        int[] slotOf = new int[vocab];
        Arrays.fill(slotOf, otherSlot);
        for (int i = 0; i < slots; i++) {
            slotOf[contexts[i]] = i;
        }
        for (int x = 0; x < vocab; x++) {
            embedding[x * hidden + slotOf[x]] = 1f;
            embedding[x * hidden + biasSlot] = 1f;
        }
        float[] head = new float[vocab * hidden];
        for (int y = 0; y < vocab; y++) {
            head[y * hidden + biasSlot] = (float) logUnigram[y];
        }
        if (withBigrams) {
            for (int i = 0; i < slots; i++) {
                long contextTotal = Arrays.stream(bigram[i]).sum();
                for (int y = 0; y < vocab; y++) {
                    double p = (bigram[i][y] + BIGRAM_PRIOR * Math.exp(logUnigram[y])) / (contextTotal + BIGRAM_PRIOR);
                    head[y * hidden + i] = (float) (Math.log(p) - logUnigram[y]);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (ModelSpec.Shape shape : spec.tensors()) {
            long[] dims = shape.shape();
            int size = (int) (dims.length == 1 ? dims[0] : dims[0] * dims[1]);
            String name = shape.name();
            float[] values;
            if (name.equals("model.embed_tokens.weight")) {
                values = embedding;
            } else if (name.equals("lm_head.weight")) {
                values = head;
            } else if (name.equals("model.norm.weight")) {
                values = new float[size];
                Arrays.fill(values, (float) Math.sqrt(2.0 / hidden));
            } else if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                values = new float[size];
            } else if (name.endsWith("layernorm.weight")) {
                values = new float[size];
                Arrays.fill(values, 1f);
            } else {
                values = new float[size];
                for (int i = 0; i < size; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.02);
                }
            }
            tensors.add(new SafetensorsWriter.Tensor(name, SafetensorsDType.F32, dims, values));
        }
        try {
            Files.createDirectories(directory);
            Files.writeString(
                    directory.resolve("config.json"),
                    SyntheticModels.configJson(spec)
                            .replace("\"eos_token_id\": " + (vocab - 1), "\"eos_token_id\": " + eos),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Pretrain4jException(
                    DomainErrorCode.MODEL_FILES_UNREADABLE, "cannot write " + directory + ": " + e, e);
        }
        SafetensorsWriter.write(directory.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return directory;
    }

    private static int check(int token, int vocab) {
        if (token < 0 || token >= vocab) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "token id " + token + " is outside the vocabulary of " + vocab);
        }
        return token;
    }
}
