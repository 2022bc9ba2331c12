/**
 * Chains: {@code local}, a persistent chain in a directory that several processes share (an
 * append-only, checksummed, fsynced log under a file lock), with the real chain's rules;
 * {@code subtensor} over JSON-RPC, commit-reveal weights included; and bittensor wallets (hotkey files;
 * sr25519, SS58 and the drand timelock come from {@code io.pretrain4j.crypto}).
 */
module io.pretrain4j.adapters.chain {
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires io.pretrain4j.crypto;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires java.net.http;

    // the pending weight commits are read and written by Jackson (records of the subtensor package)
    opens io.pretrain4j.adapters.chain.subtensor to
            com.fasterxml.jackson.databind;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.chain.ChainPlugin;
}
