package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Commitment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code CommitmentOf} values ({@code Registration { deposit, block, info: CommitmentInfo { fields } }})
 * decoded by the runtime's type. Whatever is wrong with one hotkey's commitment (bytes that do not
 * decode, no fields, a first field that is not {@code Data::Raw}, text that is not UTF-8) makes that
 * commitment unreadable with the reason; it never fails a scan of the subnet.
 */
final class CommitmentRecords {
    static final int MAX_COMMITMENT_BYTES = 128;
    private static final HexFormat HEX = HexFormat.of();

    private CommitmentRecords() {}

    static Commitment decode(RuntimeMetadata metadata, String hotkey, byte[] value) {
        String what = "the commitment of " + hotkey;
        long block = 0;
        try {
            Object registration =
                    metadata.value("Commitments", "CommitmentOf", value, what).orElseThrow();
            block = Values.integer(Values.field(registration, "block", what), what + ": block");
            Object info = Values.field(registration, "info", what);
            List<?> fields = Values.list(Values.field(info, "fields", what), what + ": fields");
            if (fields.isEmpty()) {
                return Commitment.unreadable(hotkey, block, "it has no fields");
            }
            if (!(fields.get(0) instanceof TypeRegistry.Variant data)) {
                return Commitment.unreadable(hotkey, block, "its first field is not a Data value");
            }
            if (!data.name().matches("Raw\\d+")) {
                return Commitment.unreadable(
                        hotkey, block, "its first field is Data::" + data.name() + ", not Data::Raw text");
            }
            byte[] raw = data.values().isEmpty()
                    ? new byte[0]
                    : Values.bytes(data.values().get(0), what);
            if (raw.length > MAX_COMMITMENT_BYTES) {
                return Commitment.unreadable(
                        hotkey, block, "its text has " + raw.length + " bytes, more than " + MAX_COMMITMENT_BYTES);
            }
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
                return new Commitment(hotkey, text, block);
            } catch (CharacterCodingException e) {
                return Commitment.unreadable(
                        hotkey,
                        block,
                        "its " + raw.length + " bytes (0x" + HEX.formatHex(raw, 0, Math.min(raw.length, 24))
                                + (raw.length > 24 ? "..." : "") + ") are not UTF-8 text");
            }
        } catch (Pretrain4jException e) {
            return Commitment.unreadable(hotkey, block, e.getMessage());
        }
    }
}
