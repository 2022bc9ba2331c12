package io.pretrain4j.ports.store;

import static java.util.Objects.requireNonNull;

/**
 * What a store says about who published a model, for stores whose uploads are signed (the
 * W&amp;B era: a run's config holds the hotkey and its signature of the run id). The store only
 * reports the claim; the validator checks it with its wallets ({@code Wallets.verify}) and against
 * the hotkey that committed the model.
 *
 * @param hotkey the SS58 address the upload names as its owner
 * @param message the bytes that were signed (the run id)
 * @param signature the signature as published
 * @param where the upload, for messages (e.g. {@code W&B run entity/project/abc123}); never a secret
 */
public record OwnerSignature(String hotkey, byte[] message, byte[] signature, String where) {
    public OwnerSignature {
        requireNonNull(hotkey, "hotkey is null");
        message = message.clone();
        signature = signature.clone();
        requireNonNull(where, "where is null");
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
