package io.pretrain4j.ports.chain;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A hotkey that can act on chain: its SS58 address, public key and the 32-byte sr25519 mini secret
 * seed (the bittensor wallet's {@code secretSeed}). The seed never appears in {@link #toString()}.
 *
 * @param ss58Address the address chains identify the caller by
 * @param publicKey the 32-byte sr25519 public key
 * @param secretSeed the 32-byte mini secret
 */
public record Hotkey(String ss58Address, byte[] publicKey, byte[] secretSeed) {
    public Hotkey {
        requireNonNull(ss58Address, "ss58Address is null");
        publicKey = publicKey.clone();
        secretSeed = secretSeed.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] secretSeed() {
        return secretSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hotkey other
                && ss58Address.equals(other.ss58Address)
                && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return ss58Address.hashCode();
    }

    @Override
    public String toString() {
        return "Hotkey[" + ss58Address + ", publicKey=0x" + HexFormat.of().formatHex(publicKey)
                + ", secretSeed=<hidden>]";
    }
}
