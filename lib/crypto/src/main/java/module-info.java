/**
 * The cryptography of the networks pretrain4j talks to, for any chain adapter (and the axon/dendrite
 * of subnet 25) without importing another adapter: sr25519 as schnorrkel signs and verifies (Merlin
 * transcripts over STROBE-128, Ristretto255), SS58 addresses, and timelock encryption to drand's
 * quicknet (Boneh-Franklin on BLS12-381 with our own pairing, in the layout subtensor decrypts).
 */
module io.pretrain4j.crypto {
    requires cafe.cryptography.curve25519_elisabeth;
    requires org.bouncycastle.provider;

    exports io.pretrain4j.crypto.sr25519;
    exports io.pretrain4j.crypto.ss58;
    exports io.pretrain4j.crypto.timelock;
}
