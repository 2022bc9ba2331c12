/**
 * Chains: {@code local}, a persistent chain in a directory that several processes share (an
 * append-only, checksummed, fsynced log under a file lock), with the real chain's rules; and
 * bittensor wallets (sr25519 keys from the mini secret, SS58 addresses, hotkey files).
 */
module io.pretrain4j.adapters.chain {
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires com.fasterxml.jackson.databind;
    requires cafe.cryptography.curve25519_elisabeth;
    requires org.bouncycastle.provider;
    requires java.net.http;

    // the pending weight commits are read and written by Jackson (records of the subtensor package)
    opens io.pretrain4j.adapters.chain.subtensor to com.fasterxml.jackson.databind;

    provides io.pretrain4j.ports.spi.Plugin with io.pretrain4j.adapters.chain.ChainPlugin;
}
