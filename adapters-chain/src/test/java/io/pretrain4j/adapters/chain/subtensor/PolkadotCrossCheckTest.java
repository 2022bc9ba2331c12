package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.testing.fakes.NodeScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The adapter's SCALE compact integers, storage keys, SS58 addresses and signed extrinsics checked by
 * polkadot-js ({@code src/test/node/crosscheck.mjs}, packages locked in its {@code package-lock.json}), an
 * implementation that shares nothing with pretrain4j: the payload it builds for the same fields must be the
 * bytes the adapter signed, and the adapter's sr25519 signature must verify over it. Skipped, with a line
 * saying so, where {@code node} or the npm registry is missing.
 */
class PolkadotCrossCheckTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void polkadotJsAgreesWithTheAdaptersEncodingsAndSignatures() throws IOException {
        NodeScript node;
        try {
            String version = NodeScript.nodeVersion();
            node = NodeScript.prepare(
                    Path.of("src/test/node"),
                    Path.of("target/polkadot-crosscheck"),
                    List.of("package.json", "package-lock.json", "crosscheck.mjs"),
                    "@polkadot/types");
            System.err.println("polkadot-js cross-check with node " + version);
        } catch (IOException e) {
            System.err.println("SKIPPED polkadot-js cross-check: " + e.getMessage());
            Assumptions.abort("node or npm unavailable: " + e.getMessage());
            return;
        }
        ObjectNode cases = JSON.createObjectNode();
        ArrayNode compact = cases.putArray("compact");
        for (long value :
                new long[] {0, 1, 63, 64, 255, 16383, 16384, 65535, (1L << 30) - 1, 1L << 30, 1L << 32, Long.MAX_VALUE
                }) {
            compact.addObject()
                    .put("value", Long.toString(value))
                    .put(
                            "adapter",
                            "0x"
                                    + HEX.formatHex(
                                            new Scale.Writer().compact(value).toByteArray()));
        }
        byte[] alice = HEX.parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        byte[] net = new Scale.Writer().u16(9).toByteArray();
        ArrayNode keys = cases.putArray("keys");
        key(
                keys,
                "SubtensorModule",
                "Weights",
                StorageKeys.entry("SubtensorModule", "Weights", net, net),
                Map.of(),
                net,
                net);
        key(
                keys,
                "SubtensorModule",
                "Uids",
                StorageKeys.entry("SubtensorModule", "Uids", net, StorageKeys.blake2128Concat(alice)),
                Map.of(1, "blake2128concat"),
                net,
                alice);
        key(
                keys,
                "Commitments",
                "CommitmentOf",
                StorageKeys.entry("Commitments", "CommitmentOf", net, StorageKeys.twox64Concat(alice)),
                Map.of(1, "twox64concat"),
                net,
                alice);
        key(keys, "Drand", "LastStoredRound", StorageKeys.prefix("Drand", "LastStoredRound"), Map.of());
        ArrayNode ss58 = cases.putArray("ss58");
        for (int n = 0; n < 5; n++) {
            byte[] publicKey = hotkey(n).publicKey();
            ss58.addObject().put("publicKey", "0x" + HEX.formatHex(publicKey)).put("adapter", Ss58.encode(publicKey));
        }
        ArrayNode extrinsics = cases.putArray("extrinsics");
        byte[] genesis = HEX.parseHex("2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03");
        byte[] birth = HEX.parseHex("1111111111111111111111111111111111111111111111111111111111111111");
        // set_weights(netuid 9, dests, weights, version_key): short (signed as is) and long (signed as its BLAKE2b-256)
        byte[] shortCall = new Scale.Writer()
                .u8(7)
                .u8(0)
                .u16(9)
                .compact(2)
                .u16(1)
                .u16(2)
                .compact(2)
                .u16(65535)
                .u16(32768)
                .u64(4062)
                .toByteArray();
        Scale.Writer longCall = new Scale.Writer().u8(7).u8(0).u16(9).compact(120);
        for (int i = 0; i < 120; i++) {
            longCall.u16(i);
        }
        longCall.compact(120);
        for (int i = 0; i < 120; i++) {
            longCall.u16(65535 - i);
        }
        extrinsic(
                extrinsics,
                "set_weights (short)",
                shortCall,
                hotkey(1),
                genesis,
                birth,
                Extrinsics.mortalEra(64, 1000),
                0);
        extrinsic(
                extrinsics,
                "set_weights (over 256 bytes)",
                longCall.u64(4062).toByteArray(),
                hotkey(2),
                genesis,
                genesis,
                new byte[] {0},
                7);
        Path input = node.work().resolve("cases.json");
        Files.writeString(input, JSON.writeValueAsString(cases));

        List<String> out = node.run("crosscheck.mjs", List.of("cases.json"), Duration.ofMinutes(2));
        assertThat(out).as(String.join("\n", out)).anyMatch(line -> line.startsWith("crosscheck ok "));
        assertThat(out).contains("compact: 12", "storage keys: 4", "ss58: 5", "extrinsics: 2");
    }

    private static void key(
            ArrayNode keys, String pallet, String item, byte[] adapter, Map<Integer, String> hashers, byte[]... parts) {
        ObjectNode key =
                keys.addObject().put("pallet", pallet).put("item", item).put("adapter", "0x" + HEX.formatHex(adapter));
        ArrayNode list = key.putArray("parts");
        for (int i = 0; i < parts.length; i++) {
            list.addObject()
                    .put("key", "0x" + HEX.formatHex(parts[i]))
                    .put("hasher", hashers.getOrDefault(i, "identity"));
        }
    }

    private static void extrinsic(
            ArrayNode extrinsics,
            String name,
            byte[] call,
            Hotkey signer,
            byte[] genesis,
            byte[] birth,
            byte[] era,
            long nonce) {
        List<String> extensions = FakeSubtensorNode.EXTENSIONS;
        Extrinsics.Context context =
                new Extrinsics.Context(FakeSubtensorNode.SPEC_VERSION, 1, genesis, era, birth, nonce);
        byte[] extrinsic = Extrinsics.signed(call, signer, context, extensions);
        Extrinsics.Decoded decoded = Extrinsics.decode(extrinsic, extensions);
        byte[] additional = Extrinsics.additionalFor(context, extensions);
        byte[] extra = Extrinsics.extra(context, extensions);
        extrinsics
                .addObject()
                .put("name", name)
                .put("call", "0x" + HEX.formatHex(call))
                .put("era", "0x" + HEX.formatHex(era))
                .put("nonce", nonce)
                .put("specVersion", FakeSubtensorNode.SPEC_VERSION)
                .put("transactionVersion", 1)
                .put("genesisHash", "0x" + HEX.formatHex(genesis))
                .put("birthHash", "0x" + HEX.formatHex(birth))
                .put("extra", "0x" + HEX.formatHex(extra))
                .put("payload", "0x" + HEX.formatHex(StorageKeys.concat(call, extra, additional)))
                .put("signature", "0x" + HEX.formatHex(decoded.signature()))
                .put("publicKey", "0x" + HEX.formatHex(signer.publicKey()))
                .put("extrinsic", "0x" + HEX.formatHex(extrinsic))
                .putPOJO("extensions", extensions);
    }

    private static Hotkey hotkey(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) (n + 1);
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }
}
