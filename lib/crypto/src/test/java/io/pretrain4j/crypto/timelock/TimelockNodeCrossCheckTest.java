package io.pretrain4j.crypto.timelock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An independent implementation decrypts our ciphertexts: the Node script (noble-curves, with
 * mcl-wasm agreeing on the pairing) opens commits made by {@link TimelockEncryption} with round
 * 1000's signature. Runs where {@code node} and the npm packages are available; elsewhere it is
 * skipped with a message saying so (the surefire report lists it as skipped).
 */
class TimelockNodeCrossCheckTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void nobleCurvesDecryptsWhatJavaEncrypts() throws IOException {
        NodeCrossCheck node;
        try {
            String version = NodeCrossCheck.nodeVersion();
            node = NodeCrossCheck.prepare(Path.of("src/test/node"), Path.of("target/timelock-crosscheck"));
            System.out.println("timelock cross-check: node " + version + ", @noble/curves and mcl-wasm installed");
        } catch (IOException e) {
            String reason = "SKIPPED timelock cross-check against noble-curves/mcl-wasm: " + e.getMessage();
            System.err.println(reason);
            Assumptions.abort(reason);
            return;
        }
        byte[] signature = HEX.parseHex(TimelockEncryptionTest.SIGNATURE_1000);
        SecureRandom random = new SecureRandom();
        List<byte[]> plaintexts = new ArrayList<>();
        plaintexts.add(HEX.parseHex(TimelockEncryptionTest.PAYLOAD));
        plaintexts.add(new byte[0]);
        byte[] large = new byte[1069]; // the payload of 256 uids
        random.nextBytes(large);
        plaintexts.add(large);
        List<NodeCrossCheck.Case> cases = new ArrayList<>();
        for (byte[] plaintext : plaintexts) {
            cases.add(new NodeCrossCheck.Case(1000, signature, TimelockEncryption.encrypt(plaintext, 1000, random)));
        }
        byte[] tampered = TimelockEncryption.encrypt(plaintexts.get(0), 1000, random);
        tampered[110] ^= 1; // inside V (bytes 104..135): sigma comes out wrong, so U does not match
        cases.add(new NodeCrossCheck.Case(1000, signature, tampered));
        byte[] otherRound = TimelockEncryption.encrypt(plaintexts.get(0), 1001, random);
        cases.add(new NodeCrossCheck.Case(1000, signature, otherRound));

        List<String> lines = node.check(cases, 0);
        ObjectMapper json = new ObjectMapper();
        assertThat(lines).as("one line per case and a summary: %s", lines).hasSize(cases.size() + 1);
        for (int i = 0; i < plaintexts.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.path("plaintext").asText(null))
                    .as("case %d: %s", i, line)
                    .isEqualTo(HEX.formatHex(plaintexts.get(i)));
        }
        assertThat(json.readTree(lines.get(3)).path("error").asText()).contains("U != r*G2");
        assertThat(json.readTree(lines.get(4)).path("error").asText()).contains("U != r*G2");
        assertThat(json.readTree(lines.get(5)).path("pairingAgrees").asBoolean())
                .as("mcl-wasm and noble-curves agree on e(g1, g2)")
                .isTrue();
    }
}
