package io.pretrain4j.ports.store;

import java.nio.file.Path;

/**
 * Where miners publish models and validators fetch them: the Hugging Face Hub ({@code hf}), a
 * directory acting as a hub on one machine ({@code local-hub}), or a plugin's. Implementations are
 * thread-safe.
 */
public interface RemoteModelStore extends AutoCloseable {
    /** Describes the store, e.g. {@code hf:https://huggingface.co}; never contains a token. */
    String id();

    /**
     * The repo's files at {@code commit}.
     *
     * @throws io.pretrain4j.domain.Pretrain4jException {@link ModelStoreErrorCode#MODEL_NOT_FOUND},
     *     {@link ModelStoreErrorCode#STORE_UNAVAILABLE}
     */
    RemoteModel info(String repoId, String commit);

    /**
     * Downloads the files a model needs ({@link RemoteModel#neededFiles()}) at {@code commit} into the
     * directory {@code target}, verifying each against the size and hash the store announced. The
     * repo's total size is checked against {@code maxBytes} before any byte is fetched. A cut
     * transfer is resumed where it stopped; partial files are left only under names ending in
     * {@code .incomplete}, so a later call resumes them.
     *
     * @return the repo as announced
     * @throws io.pretrain4j.domain.Pretrain4jException {@link ModelStoreErrorCode#MODEL_TOO_LARGE},
     *     {@link ModelStoreErrorCode#MODEL_FILES_INVALID}, {@link ModelStoreErrorCode#MODEL_NOT_FOUND},
     *     {@link ModelStoreErrorCode#STORE_UNAVAILABLE}
     */
    RemoteModel download(String repoId, String commit, Path target, long maxBytes);

    /**
     * Publishes the model files at the top of {@code modelDirectory} (those {@link ModelFiles#isNeeded})
     * to {@code repoId}, creating it (private when {@code makePrivate}) if needed.
     *
     * @return the commit that holds them (40 hex characters), which goes on chain
     */
    String publish(String repoId, Path modelDirectory, boolean makePrivate);

    /**
     * Publishes as {@link #publish(String, Path, boolean)}, signed by {@code publisher} where the
     * store signs uploads ({@link #signsModels()}). Miners publish through this method.
     */
    default String publish(String repoId, Path modelDirectory, boolean makePrivate, PublishingKey publisher) {
        return publish(repoId, modelDirectory, makePrivate);
    }

    /**
     * Whether uploads carry their owner's signature ({@link RemoteModel#owner()}), which a validator
     * checks against the committing hotkey before downloading. False for the Hub, true for W&amp;B.
     */
    default boolean signsModels() {
        return false;
    }

    /**
     * {@link #info(String, String)} for a model a hotkey committed; a store that signs uploads picks
     * the upload of that hotkey when several hold the same files.
     */
    default RemoteModel info(ModelKey key) {
        return info(key.repoId(), key.commit());
    }

    /** {@link #download(String, String, Path, long)} for a model a hotkey committed (see {@link #info(ModelKey)}). */
    default RemoteModel download(ModelKey key, Path target, long maxBytes) {
        return download(key.repoId(), key.commit(), target, maxBytes);
    }

    /** Makes the repo private or public (validators can only download public models). */
    void setPrivate(String repoId, boolean makePrivate);

    @Override
    default void close() {}
}
