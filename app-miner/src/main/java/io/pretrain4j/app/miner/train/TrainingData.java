package io.pretrain4j.app.miner.train;

import io.pretrain4j.domain.data.Packing;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.TokenBuffer;
import io.pretrain4j.domain.random.MersenneTwister;
import io.pretrain4j.evaluation.EvalWindows;
import io.pretrain4j.ports.dataset.TextDataset;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Windows to train and evaluate on, drawn from a dataset the way validators draw them: held-out
 * pages (a fixed seed, packed and shuffled as a validator's step) and, per epoch, training pages
 * from the epoch's seed with every page that overlaps a held-out page left out.
 */
public final class TrainingData {
    private static final System.Logger LOG = System.getLogger(TrainingData.class.getName());
    private static final long HELD_OUT_SALT = 0x5EED_0FF5_E7L;

    private final TextDataset dataset;
    private final Tokenizer tokenizer;
    private final int sequenceLength;
    private final long seed;
    private final int pagesPerEpoch;
    private final EvalWindows.Result heldOut;

    public TrainingData(
            TextDataset dataset,
            Tokenizer tokenizer,
            int sequenceLength,
            long seed,
            int evalPages,
            int evalWindows,
            int pagesPerEpoch) {
        this.dataset = dataset;
        this.tokenizer = tokenizer;
        this.sequenceLength = sequenceLength;
        this.seed = seed;
        this.pagesPerEpoch = pagesPerEpoch;
        this.heldOut = EvalWindows.build(
                dataset,
                tokenizer,
                new EvalWindows.Request(
                        BigInteger.valueOf(seed ^ HELD_OUT_SALT), evalPages, sequenceLength, evalWindows));
    }

    /** The held-out windows (never trained on). */
    public EvalWindows.Result heldOut() {
        return heldOut;
    }

    /** The training windows of {@code epoch}, shuffled with the epoch's seed. */
    public List<int[]> epoch(long epoch) {
        BigInteger epochSeed = BigInteger.valueOf(seed).add(BigInteger.valueOf(epoch + 1));
        List<Page> drawn = dataset.sampler(pagesPerEpoch).nextRound(MersenneTwister.seeded(epochSeed));
        TokenBuffer buffer = new TokenBuffer(sequenceLength * 4);
        int kept = 0;
        for (Page page : drawn) {
            if (heldOut.pages().stream().anyMatch(held -> overlaps(held, page))) {
                continue;
            }
            for (int[] tokens : EvalWindows.tokenize(tokenizer, dataset.fetch(page))) {
                Packing.appendDocument(buffer, tokens, tokenizer.eosTokenId());
            }
            kept++;
        }
        List<int[]> windows =
                Packing.shuffleAndLimit(Packing.windows(buffer, sequenceLength), epochSeed, Integer.MAX_VALUE);
        LOG.log(
                System.Logger.Level.INFO,
                "epoch {0}: {1} of {2} pages (the rest overlap held-out pages), {3} windows of {4} tokens",
                epoch,
                kept,
                drawn.size(),
                windows.size(),
                sequenceLength);
        return windows;
    }

    static boolean overlaps(Page a, Page b) {
        return a.config().equals(b.config())
                && a.split().equals(b.split())
                && a.offset() < b.offset() + b.rows()
                && b.offset() < a.offset() + a.rows();
    }

    /** Windows of every held-out page, for reports. */
    public List<String> heldOutPages() {
        List<String> names = new ArrayList<>();
        heldOut.pages().forEach(page -> names.add(page.name()));
        return names;
    }
}
