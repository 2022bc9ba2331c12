package io.pretrain4j.evaluation;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.PageSampler;
import io.pretrain4j.domain.data.TokenBuffer;
import io.pretrain4j.domain.random.MersenneTwister;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Builds the token windows every model of a step is scored on, exactly as the reference's loader
 * and validator do: the global generator seeded with the step's seed draws the pages (a round); the
 * pages' documents are tokenized (truncated at the tokenizer's max length) and each followed by one
 * EOS; while the tokens fall short of one window the round is repeated, at most
 * {@value #MAX_ROUNDS} times; the tokens are cut into windows, shuffled with a fresh generator
 * seeded the same way, and the first {@code maxWindows} kept.
 *
 * <p>Up to four pages of a round are fetched at the same time (on virtual threads) and documents are
 * tokenized in parallel on the common fork-join pool; neither changes the result, which is packed in
 * page and row order.
 */
public final class EvalWindows {
    /** The reference tries {@code _initialize_pages} while {@code fetch_attempt < retry_limit (15)}. */
    public static final int MAX_ROUNDS = 14;
    /** Pages fetched at the same time by default: enough to hide latency, few enough not to provoke 429s. */
    public static final int DEFAULT_FETCH_PARALLELISM = 4;

    private static final System.Logger LOG = System.getLogger(EvalWindows.class.getName());

    private EvalWindows() {}

    /**
     * What to build.
     *
     * @param seed the step's seed ({@link io.pretrain4j.domain.random.DataSeed})
     * @param numPages pages per round (the task's {@code num_pages})
     * @param sequenceLength window length in tokens (the competition's)
     * @param maxWindows windows kept after the shuffle ({@link Packing#MAX_WINDOWS_PER_DATASET})
     */
    public record Request(BigInteger seed, int numPages, int sequenceLength, int maxWindows) {
        public Request {
            requireNonNull(seed, "seed is null");
            if (numPages <= 0 || sequenceLength <= 0 || maxWindows <= 0) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT,
                        "pages, sequence length and window limit must be > 0, got " + numPages + ", " + sequenceLength
                                + ", " + maxWindows);
            }
        }

        /** The reference's request: at most 50 windows. */
        public static Request of(BigInteger seed, int numPages, int sequenceLength) {
            return new Request(seed, numPages, sequenceLength, Packing.MAX_WINDOWS_PER_DATASET);
        }
    }

    /**
     * The windows of one dataset for one step.
     *
     * @param datasetId the dataset's {@link TextDataset#id()}
     * @param tokenizerId the tokenizer's id
     * @param pages the pages whose tokens were packed, in fetch order
     * @param rounds how many rounds of page choice were needed
     * @param documents documents tokenized
     * @param tokens tokens packed (before the tail was dropped)
     * @param windows the windows kept, each {@code sequenceLength} long
     * @param sha256 {@link Packing#sha256} of the windows
     */
    public record Result(
            String datasetId,
            String tokenizerId,
            List<Page> pages,
            int rounds,
            long documents,
            long tokens,
            List<int[]> windows,
            String sha256) {
        public Result {
            pages = List.copyOf(pages);
            windows = List.copyOf(windows);
        }

        /** Tokens held by the kept windows. */
        public long windowTokens() {
            return windows.stream().mapToLong(window -> window.length).sum();
        }
    }

    /** Builds the windows, fetching up to {@value #DEFAULT_FETCH_PARALLELISM} pages at a time; see the class comment. */
    public static Result build(TextDataset dataset, Tokenizer tokenizer, Request request) {
        return build(dataset, tokenizer, request, DEFAULT_FETCH_PARALLELISM);
    }

    /**
     * Builds the windows, fetching up to {@code fetchParallelism} pages of a round at a time. The
     * result does not depend on it: pages are drawn before any is fetched, each fetch retries its own
     * page, and the documents are packed in page order.
     */
    public static Result build(TextDataset dataset, Tokenizer tokenizer, Request request, int fetchParallelism) {
        if (fetchParallelism < 1) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT, "fetch parallelism must be >= 1, got " + fetchParallelism);
        }
        long started = System.nanoTime();
        PageSampler sampler = dataset.sampler(request.numPages());
        MersenneTwister random = MersenneTwister.seeded(request.seed());
        TokenBuffer buffer = new TokenBuffer(request.sequenceLength() * 4);
        List<Page> used = new ArrayList<>();
        long documents = 0;
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            rounds++;
            List<Page> pages = sampler.nextRound(random);
            if (!sampler.keepsEarlierRounds()) {
                buffer.clear();
                used.clear();
                documents = 0;
            }
            List<List<String>> fetched = fetchAll(dataset, pages, fetchParallelism);
            for (int i = 0; i < pages.size(); i++) {
                List<String> texts = fetched.get(i);
                for (int[] tokens : tokenize(tokenizer, texts)) {
                    Packing.appendDocument(buffer, tokens, tokenizer.eosTokenId());
                }
                documents += texts.size();
                used.add(pages.get(i));
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "{0}: page {1}: {2} documents, {3} tokens so far",
                        dataset.id(),
                        pages.get(i).name(),
                        texts.size(),
                        buffer.size());
            }
            if (buffer.size() >= request.sequenceLength()) {
                break;
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0}: round {1} of {2}: the pages hold {3} tokens, fewer than one window of {4}; "
                            + "drawing pages again, as the reference does",
                    dataset.id(),
                    rounds,
                    MAX_ROUNDS,
                    buffer.size(),
                    request.sequenceLength());
        }
        if (buffer.size() < request.sequenceLength()) {
            throw new Pretrain4jException(
                    DatasetErrorCode.NOT_ENOUGH_DATA,
                    dataset.id() + ": after " + rounds + " rounds of "
                            + request.numPages() + " pages there are " + buffer.size()
                            + " tokens, fewer than one window of "
                            + request.sequenceLength());
        }
        List<int[]> windows = Packing.shuffleAndLimit(
                Packing.windows(buffer, request.sequenceLength()), request.seed(), request.maxWindows());
        Result result = new Result(
                dataset.id(), tokenizer.id(), used, rounds, documents, buffer.size(), windows, Packing.sha256(windows));
        LOG.log(
                System.Logger.Level.INFO,
                "{0}: {1} pages, {2} documents, {3} tokens -> {4} windows of {5} (sha256 {6}) in {7} ms",
                dataset.id(),
                used.size(),
                documents,
                buffer.size(),
                windows.size(),
                request.sequenceLength(),
                result.sha256().substring(0, 12),
                (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    /** Each text's document tokens ({@link Tokenizer#encodeDocument}), in order, tokenized in parallel. */
    public static List<int[]> tokenize(Tokenizer tokenizer, List<String> texts) {
        if (texts.size() < 2) {
            return texts.stream().map(tokenizer::encodeDocument).toList();
        }
        return texts.parallelStream().map(tokenizer::encodeDocument).toList();
    }

    /** Every page's documents, in page order; the first failure (in page order) is thrown and the rest cancelled. */
    private static List<List<String>> fetchAll(TextDataset dataset, List<Page> pages, int parallelism) {
        if (parallelism == 1 || pages.size() < 2) {
            return pages.stream().map(dataset::fetch).toList();
        }
        Semaphore permits = new Semaphore(parallelism);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (Page page : pages) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return dataset.fetch(page);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<List<String>> results = new ArrayList<>(pages.size());
            try {
                for (Future<List<String>> future : futures) {
                    results.add(future.get());
                }
            } catch (ExecutionException e) {
                futures.forEach(future -> future.cancel(true));
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_UNAVAILABLE, dataset.id() + ": " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                futures.forEach(future -> future.cancel(true));
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_UNAVAILABLE, dataset.id() + ": interrupted while fetching pages", e);
            }
            return results;
        }
    }
}
