package io.pretrain4j.validator;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.domain.schedule.Competition;
import io.pretrain4j.formats.config.ModelConfigReader;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Neuron;
import io.pretrain4j.ports.inference.ModelConfig;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.OwnerSignature;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.validator.state.TrackedModel;
import io.pretrain4j.validator.state.ValidatorState;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Brings one uid's model up to date ({@code ModelUpdater.sync_model}): reads its commitment, checks
 * the competition at the commit block and now, waits out the eval block delay, downloads it,
 * checks the hash bound to the hotkey and the competition's size and architecture constraints.
 * Every refusal is recorded on the tracked model with its reason.
 */
final class ModelUpdater {
    private static final System.Logger LOG = System.getLogger(ModelUpdater.class.getName());
    /** Rejections starting so are retried at the next look (the cause may pass); the others wait for a new commitment. */
    static final String DOWNLOAD_FAILED = "download failed: ";

    /** What a sync did. */
    enum Outcome {
        /** A new or re-checked model is ready to be evaluated. */
        UPDATED,
        /** Nothing changed since the last look. */
        UNCHANGED,
        /** The commitment is younger than the competition's eval block delay; look again later. */
        TOO_RECENT,
        /** The uid has no usable model; the reason is on its tracked model (or it has none). */
        REJECTED
    }

    private final LoopServices services;
    private final ValidatorState state;

    ModelUpdater(LoopServices services, ValidatorState state) {
        this.services = services;
        this.state = state;
    }

    /**
     * A download this sync asked for: the uid's commitment as checked, and the competition it enters.
     *
     * @param neuron the uid
     * @param commitment the commitment being synced
     * @param id its model id
     * @param competition the competition at the current block
     * @param key the model's key in the local store
     */
    record Fetch(Neuron neuron, Commitment commitment, ModelId id, Competition competition, ModelKey key) {}

    /** What {@link #check} decided: an outcome, and the download to run for {@link Outcome#UPDATED}. */
    record Decision(Outcome outcome, Optional<Fetch> fetch) {
        static Decision of(Outcome outcome) {
            return new Decision(outcome, Optional.empty());
        }
    }

    /**
     * The fast part of a sync, on the loop's thread: commitment, competition, delay. When the model
     * must be (re)fetched it returns {@link Outcome#UPDATED} with the {@link Fetch} to run; the
     * model is tracked (without a hash) from then on.
     */
    Decision check(Neuron neuron, Optional<Commitment> commitment, long block, boolean force) {
        String hotkey = neuron.hotkey();
        if (commitment.isEmpty()) {
            return Decision.of(Outcome.REJECTED);
        }
        Commitment c = commitment.get();
        TrackedModel tracked = state.model(hotkey);
        // a failed download, or one a crash or restart interrupted (tracked without a hash or a
        // rejection), is fetched again
        boolean refetch = tracked != null
                && (tracked.rejection().startsWith(DOWNLOAD_FAILED)
                        || (tracked.hash().isEmpty() && tracked.rejection().isEmpty()));
        if (!force && !refetch && tracked != null && tracked.sameCommitment(c.data(), c.block())) {
            return Decision.of(Outcome.UNCHANGED);
        }
        if (!c.readable()) {
            return Decision.of(reject(neuron, c, null, "the commitment cannot be read: " + c.problem()));
        }
        ModelId id;
        try {
            id = ModelId.parse(c.data());
        } catch (Pretrain4jException e) {
            return Decision.of(reject(neuron, c, null, "the commitment is not a model id: " + e.getMessage()));
        }
        Optional<Competition> atCommit = services.schedule().competitionAt(c.block(), id.competitionId());
        Optional<Competition> now = services.schedule().competitionAt(block, id.competitionId());
        if (atCommit.isEmpty() || now.isEmpty()) {
            return Decision.of(reject(
                    neuron,
                    c,
                    id,
                    "competition " + id.competitionId() + " is not active at "
                            + (atCommit.isEmpty() ? "the commit block " + c.block() : "the current block " + block)));
        }
        Competition competition = now.get();
        long age = block - c.block();
        if (age < competition.constraints().evalBlockDelay()) {
            LOG.log(
                    INFO,
                    "uid {0}: {1} was committed {2} block(s) ago; it is evaluated once {3} blocks old",
                    neuron.uid(),
                    id.repoId(),
                    age,
                    competition.constraints().evalBlockDelay());
            return Decision.of(Outcome.TOO_RECENT);
        }
        if (id.commit().isEmpty()) {
            return Decision.of(reject(neuron, c, id, "the commitment names no commit"));
        }
        ModelKey key;
        try {
            key = new ModelKey(hotkey, id.repoId(), id.commit().get());
        } catch (Pretrain4jException e) {
            return Decision.of(reject(neuron, c, id, e.getMessage()));
        }
        boolean changed = tracked == null || !tracked.sameCommitment(c.data(), c.block());
        state.track(new TrackedModel(
                hotkey,
                neuron.uid(),
                c.data(),
                c.block(),
                id.competitionId(),
                id.repoId(),
                id.commit().get(),
                "",
                "",
                changed ? Map.of() : tracked.history()));
        return new Decision(Outcome.UPDATED, Optional.of(new Fetch(neuron, c, id, competition, key)));
    }

    /**
     * The slow part, safe on any thread: for a store that signs uploads, the owner's signature
     * (checked before a byte of the model is fetched); then the download (size-checked), or the failure.
     */
    Downloaded download(Fetch fetch) {
        long started = System.nanoTime();
        try {
            if (services.remote().signsModels()) {
                Optional<String> refusal = ownerRefusal(services.remote().info(fetch.key()), fetch.key());
                if (refusal.isPresent()) {
                    return new Downloaded(Optional.empty(), "", refusal, (System.nanoTime() - started) / 1e9);
                }
            }
            StoredModel stored = services.local()
                    .fetch(
                            fetch.key(),
                            services.remote(),
                            fetch.competition().constraints().maxBytes());
            return new Downloaded(Optional.of(stored), "", Optional.empty(), (System.nanoTime() - started) / 1e9);
        } catch (RuntimeException e) {
            return new Downloaded(
                    Optional.empty(),
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    Optional.empty(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * The reference's W&amp;B-era validity check: the upload names the committing hotkey as its owner
     * and carries that hotkey's signature of the signed message (the run id).
     */
    private Optional<String> ownerRefusal(RemoteModel info, ModelKey key) {
        if (info.owner().isEmpty()) {
            return Optional.of(services.remote().id() + " signs uploads but reports no owner for " + key.repoId());
        }
        OwnerSignature owner = info.owner().get();
        if (!owner.hotkey().equals(key.hotkey())) {
            return Optional.of(owner.where() + " belongs to " + ModelFiles.printable(owner.hotkey())
                    + ", not to the committing hotkey");
        }
        if (!services.wallets().verify(owner.hotkey(), owner.message(), owner.signature())) {
            return Optional.of(owner.where() + ": the signature of '"
                    + ModelFiles.printable(new String(owner.message(), StandardCharsets.UTF_8))
                    + "' does not verify for hotkey " + owner.hotkey());
        }
        return Optional.empty();
    }

    /**
     * A finished download.
     *
     * @param stored the model, when it downloaded
     * @param failure why it did not (a failure that may pass: retried at the next look)
     * @param refusal why the model is refused for good (until a new commitment)
     * @param seconds how long it took
     */
    record Downloaded(Optional<StoredModel> stored, String failure, Optional<String> refusal, double seconds) {}

    /**
     * The checks after the download, on the loop's thread: the secure hash bound to the hotkey and
     * the competition's constraints; a model that passes joins the pending set. A download whose
     * commitment was replaced meanwhile is ignored.
     */
    Outcome complete(Fetch fetch, Downloaded downloaded) {
        Neuron neuron = fetch.neuron();
        Commitment c = fetch.commitment();
        ModelId id = fetch.id();
        String hotkey = neuron.hotkey();
        TrackedModel tracked = state.model(hotkey);
        if (tracked == null || !tracked.sameCommitment(c.data(), c.block())) {
            LOG.log(
                    INFO,
                    "uid {0}: the download of {1} finished after a newer commitment replaced it; ignored",
                    neuron.uid(),
                    id.repoId());
            return Outcome.UNCHANGED;
        }
        if (downloaded.refusal().isPresent()) {
            return reject(neuron, c, id, downloaded.refusal().get());
        }
        if (downloaded.stored().isEmpty()) {
            return reject(neuron, c, id, DOWNLOAD_FAILED + downloaded.failure());
        }
        StoredModel stored = downloaded.stored().get();
        state.track(tracked.withHash(stored.hash()));
        if (!stored.hash().equals(id.hash().orElse(null))) {
            String expected = ModelHashes.secureHash(stored.hash(), hotkey);
            if (!expected.equals(id.secureHash().orElse(null))) {
                return reject(
                        neuron,
                        c,
                        id,
                        "the secure hash " + id.secureHash().orElse("None")
                                + " on chain is not sha256(hash + hotkey) = "
                                + expected + " of the downloaded files (hash " + stored.hash()
                                + "): the files changed or the commitment was copied"
                                + " from another hotkey");
            }
        }
        ModelConfig config;
        try {
            config = ModelConfigReader.read(stored.directory());
        } catch (Pretrain4jException e) {
            return reject(neuron, c, id, e.getMessage());
        }
        Competition competition = fetch.competition();
        var constraints = competition.constraints();
        if (!constraints.allowedArchitectures().contains(config.architecture())) {
            return reject(
                    neuron,
                    c,
                    id,
                    "architecture " + config.architecture() + " is not allowed in " + competition.name() + " (allowed: "
                            + new TreeSet<>(constraints.allowedArchitectures()) + ")");
        }
        long parameters = config.parameterCount();
        if (!constraints.allowsParameters(parameters)) {
            return reject(
                    neuron,
                    c,
                    id,
                    parameters + " parameters is outside " + competition.name() + "'s [" + constraints.minParameters()
                            + ", " + constraints.maxParameters() + "]");
        }
        LOG.log(
                INFO,
                "uid {0}: {1}@{2} ready for {3} ({4} parameters, {5} MB, fetched in {6} s)",
                neuron.uid(),
                id.repoId(),
                abbreviate(id.commit().get()),
                competition.name(),
                parameters,
                String.format(Locale.ROOT, "%.1f", stored.bytes() / 1e6),
                String.format(Locale.ROOT, "%.2f", downloaded.seconds()));
        state.queue(id.competitionId(), neuron.uid());
        return Outcome.UPDATED;
    }

    /**
     * Records that checking a download failed unexpectedly: the model is rejected for this commitment
     * (it is not looked at again until the miner commits anew), where it used to fail, with a stack
     * trace, at every look.
     */
    Outcome failed(Fetch fetch, RuntimeException failure) {
        TrackedModel tracked = state.model(fetch.neuron().hotkey());
        if (tracked == null
                || !tracked.sameCommitment(
                        fetch.commitment().data(), fetch.commitment().block())) {
            return Outcome.UNCHANGED;
        }
        return reject(
                fetch.neuron(), fetch.commitment(), fetch.id(), "checking the downloaded files failed: " + failure);
    }

    private Outcome reject(Neuron neuron, Commitment c, ModelId id, String reason) {
        String hotkey = neuron.hotkey();
        TrackedModel current = state.model(hotkey);
        TrackedModel base = current != null && current.sameCommitment(c.data(), c.block())
                ? current
                : new TrackedModel(
                        hotkey,
                        neuron.uid(),
                        c.data(),
                        c.block(),
                        id == null ? -1 : id.competitionId(),
                        id == null ? "" : id.repoId(),
                        id == null ? "" : id.commit().orElse(""),
                        "",
                        "",
                        Map.of());
        state.track(base.withRejection(reason));
        LOG.log(WARNING, "uid {0} ({1}): model rejected: {2}", neuron.uid(), hotkey, reason);
        return Outcome.REJECTED;
    }

    static String abbreviate(String commit) {
        return commit.length() > 8 ? commit.substring(0, 8) : commit;
    }
}
