package io.pretrain4j.adapters.chain.subtensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.util.HexFormat;

/** Reading a Subtensor node's answers: storage bytes, hashes, block numbers, each checked and named when malformed. */
final class NodeReplies {
    private static final HexFormat HEX = HexFormat.of();

    private final JsonRpcClient rpc;

    NodeReplies(JsonRpcClient rpc) {
        this.rpc = rpc;
    }

    /** The raw value under {@code key}, or null when the node holds none. */
    byte[] storage(byte[] key) {
        JsonNode value = rpc.call("state_getStorage", "0x" + HEX.formatHex(key));
        return value == null || value.isNull()
                ? null
                : hex(value, "storage 0x" + HEX.formatHex(key).substring(0, 16) + "...");
    }

    /** The head's hash, {@code 0x} + 64 hex. */
    String head() {
        return "0x" + HEX.formatHex(hash32(rpc.call("chain_getBlockHash"), "the head's hash"));
    }

    long blockNumber(JsonNode header) {
        if (header == null || !header.path("number").isTextual()) {
            throw unavailable("a header without a number: " + abbreviate(header));
        }
        String number = header.get("number").asText();
        if (!number.matches("0x[0-9a-fA-F]{1,16}")) {
            throw unavailable("block number '" + abbreviate(header.get("number")) + "' is not hex");
        }
        return Long.parseUnsignedLong(number.substring(2), 16);
    }

    byte[] hash32(JsonNode node, String what) {
        byte[] bytes = hex(node, what);
        if (bytes.length != 32) {
            throw unavailable(what + " has " + bytes.length + " bytes, not 32");
        }
        return bytes;
    }

    byte[] hex(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw unavailable(what + ": expected a 0x hex string, got " + abbreviate(node));
        }
        String text = node.asText();
        if (!text.startsWith("0x")
                || text.length() % 2 != 0
                || !text.substring(2).matches("[0-9a-fA-F]*")) {
            throw unavailable(what + ": '" + abbreviate(node) + "' is not whole-byte 0x hex (truncated?)");
        }
        return HEX.parseHex(text.substring(2));
    }

    static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    Pretrain4jException unavailable(String message) {
        return new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, rpc.endpoint() + ": " + message);
    }
}
