package io.pretrain4j.ports.chain;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Hotkeys kept as files, in the bittensor layout {@code <path>/<wallet>/hotkeys/<hotkey>}.
 */
public interface Wallets {
    /** The directory holding the wallets. */
    Path path();

    /** Creates a new hotkey with a fresh random seed; refuses to overwrite an existing file. */
    Hotkey create(String wallet, String hotkey);

    /** Reads a hotkey file, checking that its seed, public key and address agree. */
    Hotkey load(String wallet, String hotkey);

    /** {@code wallet/hotkey} names of every hotkey file. */
    List<String> list();

    /** Whether {@code address} is a valid SS58 address (checksum included). */
    boolean isValidAddress(String address);

    /** The hotkey's signature of {@code message} (sr25519 in the substrate context for bittensor wallets). */
    byte[] sign(Hotkey hotkey, byte[] message);

    /**
     * Whether {@code signature} is the signature of {@code message} by the key of {@code address};
     * false for an address that is not valid. Like btwallet, a message signed wrapped as
     * {@code <Bytes>message</Bytes>} also verifies.
     */
    boolean verify(String address, byte[] message, byte[] signature);

    /**
     * The address of a wallet's coldkey from its public file (bittensor's {@code coldkeypub.txt});
     * the encrypted coldkey itself is never read. Empty when the wallet has no such file.
     */
    Optional<String> coldkeyAddress(String wallet);
}
