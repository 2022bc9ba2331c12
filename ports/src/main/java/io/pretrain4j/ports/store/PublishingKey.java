package io.pretrain4j.ports.store;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The miner's hotkey as a store sees it when publishing: stores that sign what they publish (a
 * W&amp;B run carries its owner's signature of the run id) sign with it; others ignore it. The
 * secret never leaves the signer.
 */
public interface PublishingKey {
    /** The hotkey's SS58 address. */
    String hotkey();

    /** The hotkey's signature of {@code message} (sr25519, substrate context, for bittensor hotkeys). */
    byte[] sign(byte[] message);

    /** A key of {@code hotkey} that signs with {@code signer}. */
    static PublishingKey of(String hotkey, UnaryOperator<byte[]> signer) {
        Objects.requireNonNull(hotkey, "hotkey is null");
        Objects.requireNonNull(signer, "signer is null");
        return new PublishingKey() {
            @Override
            public String hotkey() {
                return hotkey;
            }

            @Override
            public byte[] sign(byte[] message) {
                return signer.apply(message);
            }

            @Override
            public String toString() {
                return "PublishingKey[" + hotkey + "]";
            }
        };
    }
}
