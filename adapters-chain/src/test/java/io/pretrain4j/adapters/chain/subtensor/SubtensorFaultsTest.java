package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Neuron;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad answers from a node give clear errors and never hang; the client reconnects; the runtime checks at start. */
class SubtensorFaultsTest {
    private FakeSubtensorNode node;
    private Chain chain;

    @BeforeEach
    void start() throws Exception {
        node = new FakeSubtensorNode(9);
        node.register(hotkey(1).publicKey(), 5_000_000_000_000L);
        node.advance(3);
        chain = open(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        chain.close();
        node.close();
    }

    private Chain open(Duration timeout) {
        return new SubtensorChainFactory()
                .create(Map.of(
                        "endpoint",
                        node.endpoint().toString(),
                        "timeout",
                        timeout.toMillis() + "ms",
                        "connect-attempts",
                        "2"));
    }

    @Test
    void truncatedHexAndShortHashesAreNamed() {
        node.fault(FakeSubtensorNode.Fault.TRUNCATED_HEX);
        assertThatThrownBy(() -> chain.blockHash(1))
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("is not whole-byte 0x hex (truncated?)");
        node.fault(FakeSubtensorNode.Fault.SHORT_HASH);
        assertThatThrownBy(() -> chain.blockHash(1)).hasMessageContaining("the hash of block 1 has 31 bytes, not 32");
        assertThat(chain.blockHash(1)).matches("0x[0-9a-f]{64}");
    }

    @Test
    void errorObjectsCarryTheNodesCodeAndMessage() {
        node.fault(FakeSubtensorNode.Fault.ERROR_OBJECT);
        assertThatThrownBy(() -> chain.currentBlock())
                .satisfies(e ->
                        assertThat(((Pretrain4jException) e).errorCode()).isEqualTo(ChainErrorCode.CHAIN_UNAVAILABLE))
                .hasMessageContaining("refused: error -32603: Internal error: the fake node was told to fail");
    }

    @Test
    void aDroppedSocketFailsTheCallAndTheNextCallReconnects() {
        node.fault(FakeSubtensorNode.Fault.DROP_SOCKET);
        long started = System.nanoTime();
        assertThatThrownBy(() -> chain.currentBlock())
                .hasMessageMatching("(?s).*(connection (dropped|was closed)|no answer).*");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(3.5);
        assertThat(chain.currentBlock()).isEqualTo(3);
    }

    @Test
    void silenceTimesOutAndMalformedJsonFailsAtOnce() {
        node.fault(FakeSubtensorNode.Fault.SILENCE);
        long started = System.nanoTime();
        assertThatThrownBy(() -> chain.currentBlock()).hasMessageContaining("no answer to chain_getHeader within");
        assertThat((System.nanoTime() - started) / 1e9).isBetween(1.5, 4.0);
        node.fault(FakeSubtensorNode.Fault.NOT_JSON);
        started = System.nanoTime();
        assertThatThrownBy(() -> chain.currentBlock()).hasMessageContaining("not JSON");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(1.5);
        assertThat(chain.currentBlock()).isEqualTo(3);
    }

    @Test
    void aFailureFailsOnlyTheCallsPendingWhenItArrived() {
        // the caller woken by a failure sends its next request at once; that request must not be failed too
        for (int i = 0; i < 40; i++) {
            node.fault(FakeSubtensorNode.Fault.NOT_JSON);
            assertThatThrownBy(() -> chain.currentBlock()).hasMessageContaining("not JSON");
            assertThat(chain.currentBlock()).as("call after failure " + i).isEqualTo(3);
        }
    }

    @Test
    void fragmentedFramesAreJoined() {
        chain.currentBlock();
        node.fragmentInto(7);
        List<Neuron> neurons = chain.metagraph().neurons();
        assertThat(neurons).hasSize(1);
        assertThat(neurons.get(0).hotkey()).isEqualTo(hotkey(1).ss58Address());
    }

    @Test
    void theOldVecOfBytesFormOfNeuronsLiteIsDecodedToo() {
        node.oldNeuronsForm(true);
        assertThat(chain.metagraph().neurons()).extracting(Neuron::stakeRao).containsExactly(5_000_000_000_000L);
    }

    @Test
    void commitRevealSubnetsWhoseSchemeThisClientDoesNotSendAreRefusedWithAMessage() {
        node.commitReveal(true);
        node.advance(200);
        // version 4 declared, but the runtime offers no timelocked commit call
        assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(0), List.of(1), 0))
                .hasMessageContaining(
                        "commit-reveal version 4 on (CommitRevealWeightsEnabled = true), but this runtime offers neither "
                                + "commit_timelocked_mechanism_weights");
        node.commitRevealVersion(3);
        assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(0), List.of(1), 0))
                .hasMessageContaining("wants commit-reveal version 3")
                .hasMessageContaining("no weights were sent");
        // never plain weights instead
        assertThat(node.extrinsics()).isEmpty();
    }

    @Test
    void anUnknownTransactionExtensionStopsTheAdapterAtStart() {
        List<String> extensions = new ArrayList<>(FakeSubtensorNode.EXTENSIONS);
        extensions.add(3, "CheckSomethingNew");
        node.extensions(extensions);
        assertThatThrownBy(() -> open(Duration.ofSeconds(2)))
                .hasMessageContaining("expects transaction extensions this client does not know: [CheckSomethingNew]");
    }

    @Test
    void anUnreachableEndpointFailsAfterItsAttempts() {
        assertThatThrownBy(() -> new SubtensorChainFactory()
                        .create(Map.of("endpoint", "ws://127.0.0.1:1", "timeout", "500ms", "connect-attempts", "2")))
                .hasMessageContaining("cannot connect to ws://127.0.0.1:1 after 2 attempt(s)");
        assertThatThrownBy(() -> new SubtensorChainFactory()
                        .create(Map.of("endpoint", "http://example.org", "era-period", "100")))
                .hasMessageContaining("must be a ws:// or wss:// URL")
                .hasMessageContaining("era-period 100 must be a power of two");
    }

    @Test
    void theMetadataDecoderFindsPalletsCallsAndExtensions() {
        RuntimeMetadata metadata = RuntimeMetadata.decode(MetadataWriter.v14(
                Map.of("set_weights", 0, "serve_axon", 4), Map.of("set_commitment", 0), FakeSubtensorNode.EXTENSIONS));
        assertThat(metadata.call("SubtensorModule", "serve_axon")).containsExactly(7, 4);
        assertThat(metadata.call("Commitments", "set_commitment")).containsExactly(18, 0);
        assertThat(metadata.signedExtensions()).isEqualTo(FakeSubtensorNode.EXTENSIONS);
        assertThat(metadata.extrinsicVersion()).isEqualTo(4);
        assertThatThrownBy(() -> metadata.call("Commitments", "set_weights"))
                .hasMessageContaining("has no call set_weights");
        byte[] bytes =
                MetadataWriter.v14(Map.of("set_weights", 0), Map.of("set_commitment", 0), FakeSubtensorNode.EXTENSIONS);
        assertThatThrownBy(() -> RuntimeMetadata.decode(java.util.Arrays.copyOf(bytes, bytes.length - 20)))
                .hasMessageContaining("runtime metadata: malformed SCALE data");
        bytes[4] = 15;
        assertThatThrownBy(() -> RuntimeMetadata.decode(bytes))
                .hasMessageContaining("metadata version 15 is not supported");
    }

    private static Hotkey hotkey(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }
}
