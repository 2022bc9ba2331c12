package io.pretrain4j.crypto.sr25519;

import java.nio.charset.StandardCharsets;

/** A Merlin transcript ("Merlin v1.0" over STROBE-128), as schnorrkel's signing contexts use it. */
final class MerlinTranscript {
    private final Strobe128 strobe;

    MerlinTranscript(String label) {
        strobe = new Strobe128("Merlin v1.0");
        appendMessage("dom-sep", label.getBytes(StandardCharsets.US_ASCII));
    }

    private MerlinTranscript(Strobe128 strobe) {
        this.strobe = strobe;
    }

    MerlinTranscript copy() {
        return new MerlinTranscript(strobe.copy());
    }

    void appendMessage(String label, byte[] message) {
        strobe.metaAd(label.getBytes(StandardCharsets.US_ASCII), false);
        strobe.metaAd(littleEndian32(message.length), true);
        strobe.ad(message, false);
    }

    byte[] challengeBytes(String label, int length) {
        byte[] out = new byte[length];
        strobe.metaAd(label.getBytes(StandardCharsets.US_ASCII), false);
        strobe.metaAd(littleEndian32(length), true);
        strobe.prf(out, false);
        return out;
    }

    private static byte[] littleEndian32(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}
