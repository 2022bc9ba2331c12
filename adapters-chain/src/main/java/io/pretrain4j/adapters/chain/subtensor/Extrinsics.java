package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Hotkey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Signed extrinsics, format v4: {@code Compact(len) ++ 0x84 ++ MultiAddress::Id(pubkey) ++
 * MultiSignature::Sr25519(sig) ++ extra ++ call}, signed over {@code call ++ extra ++ additional}
 * (its blake2b-256 when longer than 256 bytes). Each transaction extension the runtime lists
 * contributes its "extra" and "additional" parts; an extension not known here stops signing, since
 * a wrong guess would only produce invalid transactions.
 */
public final class Extrinsics {
    /** Extensions that encode to nothing in both parts. */
    private static final Set<String> EMPTY = Set.of(
            "CheckNonZeroSender",
            "CheckWeight",
            "SudoTransactionExtension",
            "CheckShieldedTxValidity",
            "SubtensorTransactionExtension",
            "SubtensorSignedExtension",
            "CommitmentsSignedExtension",
            "DrandPriority",
            "PrevalidateAttests");

    private static final Set<String> KNOWN = Set.of(
            "CheckSpecVersion",
            "CheckTxVersion",
            "CheckGenesis",
            "CheckMortality",
            "CheckEra",
            "CheckNonce",
            "ChargeTransactionPayment",
            "ChargeTransactionPaymentWrapper",
            "CheckMetadataHash");

    private Extrinsics() {}

    /**
     * What a signature commits to besides the call.
     *
     * @param specVersion runtime spec version
     * @param transactionVersion runtime transaction version
     * @param genesisHash block 0's hash
     * @param era the encoded era (2 bytes mortal, or {@code 00} immortal)
     * @param birthHash the hash of the era's birth block (the genesis hash when immortal)
     * @param nonce the signer's next nonce
     */
    public record Context(
            long specVersion, long transactionVersion, byte[] genesisHash, byte[] era, byte[] birthHash, long nonce) {}

    /** The extensions in {@code identifiers} that this signer does not know; empty when it can sign for the runtime. */
    public static List<String> unknown(List<String> identifiers) {
        List<String> unknown = new ArrayList<>();
        for (String id : identifiers) {
            if (!EMPTY.contains(id) && !KNOWN.contains(id)) {
                unknown.add(id);
            }
        }
        return unknown;
    }

    /** Signs {@code call} with {@code signer} for a runtime with these extensions. */
    public static byte[] signed(byte[] call, Hotkey signer, Context context, List<String> extensions) {
        List<String> unknown = unknown(extensions);
        if (!unknown.isEmpty()) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    "the runtime expects transaction extensions this client does " + "not know: " + unknown + " (of "
                            + extensions + "); refusing to sign");
        }
        byte[] extra = extra(context, extensions);
        byte[] payload = StorageKeys.concat(call, extra, additional(context, extensions));
        byte[] signed = payload.length > 256 ? StorageKeys.blake2b(payload, 32) : payload;
        byte[] signature = Sr25519.sign(signer.secretSeed(), signed);
        byte[] body = new Scale.Writer()
                .u8(0x84)
                .u8(0x00)
                .bytes(signer.publicKey())
                .u8(0x01)
                .bytes(signature)
                .bytes(extra)
                .bytes(call)
                .toByteArray();
        return new Scale.Writer().vec(body).toByteArray();
    }

    static byte[] extra(Context context, List<String> extensions) {
        Scale.Writer out = new Scale.Writer();
        for (String id : extensions) {
            switch (id) {
                case "CheckMortality", "CheckEra" -> out.bytes(context.era());
                case "CheckNonce" -> out.compact(context.nonce());
                case "ChargeTransactionPayment", "ChargeTransactionPaymentWrapper" -> out.compact(0);
                case "CheckMetadataHash" -> out.u8(0);
                default -> {}
            }
        }
        return out.toByteArray();
    }

    static byte[] additional(Context context, List<String> extensions) {
        Scale.Writer out = new Scale.Writer();
        for (String id : extensions) {
            switch (id) {
                case "CheckSpecVersion" -> out.u32(context.specVersion());
                case "CheckTxVersion" -> out.u32(context.transactionVersion());
                case "CheckGenesis" -> out.bytes(context.genesisHash());
                case "CheckMortality", "CheckEra" -> out.bytes(context.birthHash());
                case "CheckMetadataHash" -> out.u8(0);
                default -> {}
            }
        }
        return out.toByteArray();
    }

    /** A mortal era of {@code period} blocks (a power of two, 4..65536) starting at {@code block}. */
    public static byte[] mortalEra(int period, long block) {
        if (Integer.bitCount(period) != 1 || period < 4 || period > 65536) {
            throw new IllegalArgumentException("an era period is a power of two in 4..65536, got " + period);
        }
        int quantize = Math.max(period >> 12, 1);
        long phase = block % period / quantize * quantize;
        int encoded =
                Math.min(15, Math.max(1, Integer.numberOfTrailingZeros(period) - 1)) | (int) (phase / quantize) << 4;
        return new byte[] {(byte) encoded, (byte) (encoded >>> 8)};
    }

    /**
     * A decoded signed extrinsic (the fake node's view).
     *
     * @param signer the signer's public key
     * @param signature the sr25519 signature
     * @param era the era bytes
     * @param nonce the nonce
     * @param call the call bytes
     * @param signedPayloadPrefix {@code call ++ extra}, to which the verifier appends its own "additional" part
     */
    public record Decoded(
            byte[] signer, byte[] signature, byte[] era, long nonce, byte[] call, byte[] signedPayloadPrefix) {}

    /** Decodes a signed v4 extrinsic made for these extensions; fails naming what is wrong. */
    public static Decoded decode(byte[] extrinsic, List<String> extensions) {
        Scale.Reader in = new Scale.Reader(extrinsic, "extrinsic");
        byte[] body = in.vec();
        if (!in.atEnd()) {
            throw in.malformed((in.remaining()) + " bytes after the extrinsic");
        }
        Scale.Reader b = new Scale.Reader(body, "extrinsic");
        int version = b.u8();
        if (version != 0x84) {
            throw b.malformed(
                    "version byte 0x" + Integer.toHexString(version) + " is not a signed v4 extrinsic (0x84)");
        }
        if (b.u8() != 0) {
            throw b.malformed("the address is not MultiAddress::Id");
        }
        byte[] signer = b.bytes(32);
        if (b.u8() != 1) {
            throw b.malformed("the signature is not MultiSignature::Sr25519");
        }
        byte[] signature = b.bytes(64);
        int extraStart = b.position();
        byte[] era = new byte[0];
        long nonce = 0;
        for (String id : extensions) {
            switch (id) {
                case "CheckMortality", "CheckEra" -> {
                    int first = b.u8();
                    era = first == 0 ? new byte[] {0} : new byte[] {(byte) first, (byte) b.u8()};
                }
                case "CheckNonce" -> nonce = b.compact();
                case "ChargeTransactionPayment", "ChargeTransactionPaymentWrapper" -> b.compact();
                case "CheckMetadataHash" -> b.u8();
                default -> {}
            }
        }
        int callStart = b.position();
        byte[] extra = Arrays.copyOfRange(body, extraStart, callStart);
        byte[] call = b.bytes(b.remaining());
        return new Decoded(signer, signature, era, nonce, call, StorageKeys.concat(call, extra));
    }

    /** Checks that {@code decoded} is signed by its signer for {@code additional}; the payload rule of {@link #signed}. */
    public static boolean verify(Decoded decoded, byte[] additional) {
        byte[] payload = StorageKeys.concat(decoded.signedPayloadPrefix(), additional);
        byte[] signed = payload.length > 256 ? StorageKeys.blake2b(payload, 32) : payload;
        return Sr25519.verify(decoded.signer(), signed, decoded.signature());
    }

    /** The additional part a verifier expects, for the given context values. */
    public static byte[] additionalFor(Context context, List<String> extensions) {
        return additional(context, extensions);
    }
}
