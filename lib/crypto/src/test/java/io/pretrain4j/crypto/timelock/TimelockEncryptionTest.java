package io.pretrain4j.crypto.timelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.crypto.bls.BLS12_381G2;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.junit.jupiter.api.Test;

class TimelockEncryptionTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Round 1000's quicknet signature (subtensor pallets/drand tests; tle's tlock.rs test). */
    static final String SIGNATURE_1000 =
            "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    /** COMMIT_REVEAL.md 3.2: Alice, uids [0, 1], values [65535, 32768], version key 1. */
    static final String PAYLOAD =
            "80d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d080000010008ffff00800100000000000000";
    /** COMMIT_REVEAL.md 4: made with noble-curves (pairing checked against mcl): esk 32×02, sigma SHA-256(32×03), nonce 12×04. */
    static final String VECTOR =
            "96ff56f33224ddd4fa57a531a4365485fb34559a3da2c9b54c583ef97a2c4281fa83950960a783139c67d818107e33d01919de4b47a0691b0461bf8b00819a1857a21f5397a37d29a49aa26c4d0613ca1e477d8999baa2fb4db02fc770c79630"
                    + "20000000000000002cec09824d311dff1bb9df4ad0be9685238c829e6b5f2112b38142ffa56b0aa22000000000000000f715c62a9349066e41291f1b25ae5a0f62eab50f308e86c3bac63033da851523"
                    + "5f0000000000000043000000000000008498e49d395e6d89813fc3fa0b47b039cd30f54cdaaed7b65d586e5d2c1e647b4fb63621cc731aa6f1c92634e05eece9a1aa0d7ae5c09f4508fca5cd7bd596427920940c0000000000000004040404040404040404040408000000000000004145535f47434d5f";

    @Test
    void thePairingOfTheGeneratorsIsTheStandardValue() {
        Fp12 g = Pairing.pair(
                Quicknet.g1(BLS12_381G1.getGenerator(Quicknet.CURVE)), Quicknet.g2(BLS12_381G2.getGenerator()));
        String first = g.coordinates()[0].toString(16);
        // noble-curves 1.9.7 and mcl-wasm 2.4.1 agree on c0.c0.c0 = 0x1250ebd8...aca1789b6 (COMMIT_REVEAL.md 4)
        assertThat(first).startsWith("1250ebd8").endsWith("aca1789b6");
        assertThat(g.pow(Pairing.R)).isEqualTo(Fp12.ONE);
        // the addition chain computes the same power as the exponent written out
        Fp12 miller = Pairing.millerLoop(
                Quicknet.g1(Quicknet.roundPoint(7)),
                Quicknet.g2(BLS12_381G2.getGenerator().multiply(BigInteger.valueOf(99))));
        assertThat(Pairing.finalExponentiation(miller)).isEqualTo(Pairing.finalExponentiationByDefinition(miller));
    }

    @Test
    void thePairingIsBilinear() {
        var p = BLS12_381G1.getGenerator(Quicknet.CURVE);
        var q = BLS12_381G2.getGenerator();
        BigInteger a = BigInteger.valueOf(123_456_789);
        BigInteger b = new BigInteger("987654321987654321");
        Fp12 base = Pairing.pair(Quicknet.g1(p), Quicknet.g2(q));
        assertThat(Pairing.pair(Quicknet.g1(p.multiply(a)), Quicknet.g2(q.multiply(b))))
                .isEqualTo(base.pow(a.multiply(b)));
        assertThat(Pairing.pair(Quicknet.g1(p.multiply(a)), Quicknet.g2(q)))
                .isEqualTo(Pairing.pair(Quicknet.g1(p), Quicknet.g2(q.multiply(a))));
    }

    @Test
    void bouncyCastlesHashToCurveMeetsTheRfc9380Vectors() {
        // RFC 9380 appendix J.9.1, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ (the same vectors ship with
        // arkworks, zkcrypto and gnark)
        var suite = org.bouncycastle.crypto.hash2curve.HashToEllipticCurve.getInstance(
                org.bouncycastle.crypto.hash2curve.HashToCurveProfile.BLS12_381_G1_XMD_SHA_256_SSWU_RO,
                "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
        String[][] vectors = {
            {
                "",
                "052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1",
                "08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265"
            },
            {
                "abc",
                "03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903",
                "0b9c15f3fe6e5cf4211f346271d7b01c8f3b28be689c8429c85b67af215533311f0b8dfaaa154fa6b88176c229f2885d"
            },
            {
                "abcdef0123456789",
                "11e0b079dea29a68f0383ee94fed1b940995272407e3bb916bbf268c263ddd57a6a27200a784cbc248e84f357ce82d98",
                "03a87ae2caf14e8ee52e51fa2ed8eefe80f02457004ba4d486d6aa1f517c0889501dc7413753f9599b099ebcbbd2d709"
            },
        };
        for (String[] vector : vectors) {
            Pairing.G1 point =
                    Quicknet.g1(suite.hashToCurve(vector[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertThat(point.x()).as("x of '%s'", vector[0]).isEqualTo(new BigInteger(vector[1], 16));
            assertThat(point.y()).as("y of '%s'", vector[0]).isEqualTo(new BigInteger(vector[2], 16));
        }
    }

    @Test
    void roundsHashToTheRfc9380PointAndPulse1000Verifies() {
        assertThat(HEX.formatHex(BLS12_381Serialization.compressG1(Quicknet.roundPoint(1000))))
                .isEqualTo(
                        "8f5a32d53837b00fbc0ee31ce9966435a41c5188a80ce9934d3c80588b6ad6f643ebda1b83ef89e44da9ced6205cdecf");
        byte[] signature = HEX.parseHex(SIGNATURE_1000);
        assertThat(Quicknet.verify(1000, signature)).isTrue();
        assertThat(Quicknet.verify(1001, signature)).isFalse();
        byte[] damaged = signature.clone();
        damaged[20] ^= 1;
        assertThat(Quicknet.verify(1000, damaged)).isFalse();
        assertThat(Quicknet.verify(1000, new byte[5])).isFalse();
        assertThat(Quicknet.roundTime(1)).isEqualTo(1_692_803_367L);
        assertThat(Quicknet.roundTime(1000)).isEqualTo(1_692_803_367L + 999 * 3);
    }

    @Test
    void theSeededPathReproducesTheSpecsCiphertextByteForByte() throws Exception {
        byte[] esk = filled(32, 0x02);
        byte[] sigma = MessageDigest.getInstance("SHA-256").digest(filled(32, 0x03));
        byte[] commit = TimelockEncryption.encrypt(HEX.parseHex(PAYLOAD), 1000, esk, sigma, filled(12, 0x04));
        assertThat(commit).hasSize(295);
        assertThat(HEX.formatHex(commit)).isEqualTo(VECTOR);
    }

    @Test
    void theRoundsSignatureDecryptsAndNothingElseDoes() {
        byte[] plaintext = HEX.parseHex(PAYLOAD);
        byte[] commit = TimelockEncryption.encrypt(plaintext, 1000, new SecureRandom());
        assertThat(commit).hasSize(plaintext.length + TimelockEncryption.OVERHEAD);
        assertThat(TimelockEncryption.decrypt(commit, HEX.parseHex(SIGNATURE_1000)))
                .isEqualTo(plaintext);
        assertThat(TimelockEncryption.decrypt(HEX.parseHex(VECTOR), HEX.parseHex(SIGNATURE_1000)))
                .isEqualTo(plaintext);
        // two encryptions of the same payload differ (fresh esk, sigma, nonce)
        assertThat(TimelockEncryption.encrypt(plaintext, 1000, new SecureRandom()))
                .isNotEqualTo(commit);

        byte[] otherRound =
                BLS12_381Serialization.compressG1(Quicknet.roundPoint(5).multiply(BigInteger.TEN));
        assertThatThrownBy(() -> TimelockEncryption.decrypt(commit, otherRound))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong round signature");
        byte[] tampered = commit.clone();
        tampered[tampered.length - 40] ^= 1;
        assertThatThrownBy(() -> TimelockEncryption.decrypt(tampered, HEX.parseHex(SIGNATURE_1000)))
                .hasMessageContaining("tag");
        assertThatThrownBy(() -> TimelockEncryption.decrypt(Arrays.copyOf(commit, 200), HEX.parseHex(SIGNATURE_1000)))
                .hasMessageContaining("at least 244");
        byte[] lying = commit.clone();
        lying[96] = (byte) 0xff;
        assertThatThrownBy(() -> TimelockEncryption.decrypt(lying, HEX.parseHex(SIGNATURE_1000)))
                .hasMessageContaining("V claims");
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
