package io.pretrain4j.app.miner.publish;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.domain.schedule.ModelConstraints;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModelStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Publishes a model as the reference's {@code push} does, with the checks first: the competition's
 * constraints (architecture, parameters, bytes, sequence length, tokenizer vocabulary) and the repo
 * id; then upload, hash and hotkey-bound secure hash, commit on chain (waiting out the commitment
 * rate limit), read the commitment back and compare, and optionally make the repo public.
 */
public final class Publisher {
    /** Pauses between commit attempts; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * What was published.
     *
     * @param repoId namespace/name
     * @param commit the store's revision
     * @param hash the directory hash validators will compute
     * @param chainString the commitment
     * @param block the block it landed in
     */
    public record Result(String repoId, String commit, String hash, String chainString, long block) {}

    private final RemoteModelStore remote;
    private final Chain chain;
    private final PrintWriter out;
    private final Sleeper sleeper;
    private final Duration retryDelay;
    private final Duration maxWait;
    private final Wallets wallets;

    /**
     * @param remote where the model goes
     * @param chain where it is committed
     * @param wallets signs uploads for stores that sign them (W&amp;B runs carry the hotkey's signature of the run id)
     * @param out progress lines
     * @param sleeper waits between commit attempts
     * @param retryDelay the wait after a rate-limited commit
     * @param maxWait the longest the commit is retried
     */
    public Publisher(
            RemoteModelStore remote,
            Chain chain,
            Wallets wallets,
            PrintWriter out,
            Sleeper sleeper,
            Duration retryDelay,
            Duration maxWait) {
        this.remote = requireNonNull(remote, "remote is null");
        this.chain = requireNonNull(chain, "chain is null");
        this.wallets = requireNonNull(wallets, "wallets is null");
        this.out = requireNonNull(out, "out is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
        this.maxWait = requireNonNull(maxWait, "maxWait is null");
    }

    /** Every way {@code directory} breaks {@code competition}'s constraints; empty when it may compete. */
    public static List<String> problems(Path directory, String repoId, Competition competition, Tokenizer tokenizer) {
        List<String> problems = new ArrayList<>();
        try {
            ModelId.validateRepoId(repoId);
        } catch (Pretrain4jException e) {
            problems.add(e.getMessage());
        }
        ModelConstraints constraints = competition.constraints();
        ModelConfig config;
        try {
            config = ModelConfigReader.read(directory);
        } catch (Pretrain4jException e) {
            problems.add(e.getMessage());
            return problems;
        }
        if (!constraints.allowedArchitectures().contains(config.architecture())) {
            problems.add("architecture " + config.architecture() + " is not allowed in " + competition.name()
                    + " (allowed: " + new TreeSet<>(constraints.allowedArchitectures()) + ")");
        }
        long parameters = config.parameterCount();
        if (!constraints.allowsParameters(parameters)) {
            problems.add(String.format(
                    "%,d parameters is outside %s's [%,d, %,d]",
                    parameters, competition.name(), constraints.minParameters(), constraints.maxParameters()));
        }
        if (config.maxPositions() < constraints.sequenceLength()) {
            problems.add("the model takes " + config.maxPositions() + " positions; " + competition.name()
                    + " evaluates windows of " + constraints.sequenceLength());
        }
        if (config.vocabSize() < tokenizer.vocabSize()) {
            problems.add("the model's vocabulary of " + config.vocabSize() + " is smaller than "
                    + constraints.tokenizer() + "'s " + tokenizer.vocabSize());
        }
        long bytes = modelBytes(directory);
        if (bytes > constraints.maxBytes()) {
            problems.add(String.format(
                    "the model files hold %,d bytes, more than %s's %,d",
                    bytes, competition.name(), constraints.maxBytes()));
        }
        return problems;
    }

    /** Checks, uploads, commits and verifies. Refuses (nothing uploaded) when the model breaks the constraints. */
    public Result publish(
            Path directory,
            String repoId,
            Competition competition,
            Tokenizer tokenizer,
            Hotkey hotkey,
            boolean makePublic) {
        List<String> problems = problems(directory, repoId, competition, tokenizer);
        if (!problems.isEmpty()) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    directory + " cannot compete in " + competition.name() + " (" + problems.size()
                            + " problem(s)); nothing was uploaded:\n  - " + String.join("\n  - ", problems));
        }
        String hash = ModelFiles.hash(directory);
        Optional<Result> already = alreadyCommitted(repoId, competition, hotkey, hash);
        if (already.isPresent()) {
            // a re-run after a crash past the commit: committing again would move the model to a later
            // block, costing its epsilon
            say("already committed: " + already.get().chainString() + " at block "
                    + already.get().block()
                    + " is this model (same repo, competition and hash); nothing uploaded or committed again");
            if (makePublic) {
                remote.setPrivate(repoId, false);
            }
            return already.get();
        }
        say("uploading " + directory + " to " + remote.id() + " as " + repoId
                + (makePublic ? "" : " (private until committed)"));
        String commit = remote.publish(
                repoId,
                directory,
                !makePublic,
                PublishingKey.of(hotkey.ss58Address(), message -> wallets.sign(hotkey, message)));
        String[] parts = repoId.split("/");
        String chainString = ModelId.of(
                        parts[0],
                        parts[1],
                        Optional.of(commit),
                        Optional.empty(),
                        Optional.of(ModelHashes.secureHash(hash, hotkey.ss58Address())),
                        competition.id())
                .toChainString();
        long block = commitWithRetries(hotkey, chainString);
        Optional<Commitment> readBack = chain.commitment(hotkey.ss58Address());
        if (readBack.isEmpty() || !readBack.get().data().equals(chainString)) {
            throw new Pretrain4jException(
                    ChainErrorCode.NOT_REGISTERED,
                    "the commitment read back for " + hotkey.ss58Address() + " is "
                            + readBack.map(Commitment::data).orElse("(none)") + ", not " + chainString);
        }
        say("committed " + chainString + " at block " + block + "; read back and matched");
        if (makePublic) {
            remote.setPrivate(repoId, false);
        }
        return new Result(repoId, commit, hash, chainString, block);
    }

    /** The hotkey's commitment on chain when it is this very model (repo, competition and hotkey-bound hash all equal). */
    private Optional<Result> alreadyCommitted(String repoId, Competition competition, Hotkey hotkey, String hash) {
        Optional<Commitment> current = chain.commitment(hotkey.ss58Address());
        if (current.isEmpty() || !current.get().readable()) {
            return Optional.empty();
        }
        ModelId committed;
        try {
            committed = ModelId.parse(current.get().data());
        } catch (Pretrain4jException e) {
            return Optional.empty();
        }
        String secureHash = ModelHashes.secureHash(hash, hotkey.ss58Address());
        if (!committed.repoId().equals(repoId)
                || committed.competitionId() != competition.id()
                || !committed.secureHash().equals(Optional.of(secureHash))
                || committed.commit().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Result(
                repoId,
                committed.commit().get(),
                hash,
                current.get().data(),
                current.get().block()));
    }

    private long commitWithRetries(Hotkey hotkey, String chainString) {
        long waited = 0;
        while (true) {
            try {
                return chain.commit(hotkey, chainString);
            } catch (Pretrain4jException e) {
                if (e.errorCode() != ChainErrorCode.RATE_LIMITED
                        || waited + retryDelay.toMillis() > maxWait.toMillis()) {
                    throw e;
                }
                say("commit refused: " + e.getMessage() + "; retrying in " + retryDelay.toSeconds() + " s");
                try {
                    sleeper.sleep(retryDelay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waited += retryDelay.toMillis();
            }
        }
    }

    private static long modelBytes(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            long total = 0;
            for (Path file : listing.filter(Files::isRegularFile)
                    .filter(f -> ModelFiles.isNeeded(f.getFileName().toString()))
                    .toList()) {
                total += Files.size(file);
            }
            return total;
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "cannot list " + directory + ": " + e, e);
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
