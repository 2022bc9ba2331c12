package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.WeightsSet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, items 1, 2, 3 and 6: storage values decoded by the types the runtime's metadata declares,
 * runtime upgrades followed, the declared default of {@code CommitRevealWeightsEnabled}, and hostile
 * commitments that reject one uid instead of failing the scan.
 */
class SubtensorStorageTypesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String MODEL =
            "miner/model:0123456789abcdef0123456789abcdef01234567:" + "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=:1";

    private FakeSubtensorNode node;
    private Chain chain;

    @BeforeEach
    void start() throws Exception {
        node = new FakeSubtensorNode(9);
        node.register(hotkey(1).publicKey(), 5_000_000_000_000L);
        node.register(hotkey(2).publicKey(), 0);
        node.register(hotkey(3).publicKey(), 0);
        node.advance(3);
        chain = new SubtensorChainFactory()
                .create(Map.of("endpoint", node.endpoint().toString(), "timeout", "5s"));
    }

    @AfterEach
    void stop() throws Exception {
        chain.close();
        node.close();
    }

    @Test
    void weightsAreReadAsPlainU16PairsAsTheRuntimeDeclaresThem() {
        // Weights: Vec<(u16, u16)>; the bytes of [(1, 100), (2, 200)] as the real chain stores them
        node.rawWeights(0, HEX.parseHex("08" + "0100" + "6400" + "0200" + "c800"));
        WeightsSet set = chain.weights(hotkey(1).ss58Address()).orElseThrow();
        assertThat(set.uids()).containsExactly(1, 2);
        assertThat(set.weights()).containsExactly(100, 200);
        node.rawWeights(0, HEX.parseHex("04" + "0a00" + "ffff"));
        set = chain.weights(hotkey(1).ss58Address()).orElseThrow();
        assertThat(set.uids()).containsExactly(10);
        assertThat(set.weights()).containsExactly(65535);
        node.rawWeights(0, HEX.parseHex("08" + "0100" + "6400" + "0200"));
        assertThatThrownBy(() -> chain.weights(hotkey(1).ss58Address()))
                .hasMessageContaining("Weights of uid 0 (Vec<(u16, u16)>)")
                .hasMessageContaining("truncated");
        node.rawWeights(0, HEX.parseHex("04" + "0a00" + "ffff" + "00"));
        assertThatThrownBy(() -> chain.weights(hotkey(1).ss58Address()))
                .hasMessageContaining("1 bytes left after the value");
    }

    @Test
    void weightsSetThroughTheChainReadBackAsSet() {
        node.advance(200);
        long block = chain.setWeights(hotkey(1), List.of(1, 2), List.of(100, 200), 0);
        WeightsSet set = chain.weights(hotkey(1).ss58Address()).orElseThrow();
        assertThat(set.uids()).containsExactly(1, 2);
        assertThat(set.weights()).containsExactly(32768, 65535);
        assertThat(set.block()).isEqualTo(block);
    }

    @Test
    void theMetadataTypeRegistryDecodesEveryKindOfType() {
        RuntimeMetadata metadata = RuntimeMetadata.decode(MetadataWriter.v14(
                Map.of("set_weights", 0), Map.of("set_commitment", 0), FakeSubtensorNode.EXTENSIONS));
        TypeRegistry types = metadata.types();
        assertThat(types.describe(MetadataWriter.WEIGHTS)).isEqualTo("Vec<(u16, u16)>");
        assertThat(types.describe(MetadataWriter.COMPACT_U16)).isEqualTo("Compact<u16>");
        assertThat(types.decode(HEX.parseHex("fd03"), MetadataWriter.COMPACT_U16, "t"))
                .isEqualTo(BigInteger.valueOf(255));
        assertThatThrownBy(() -> types.decode(HEX.parseHex("02000400"), MetadataWriter.COMPACT_U16, "t"))
                .hasMessageContaining("larger than a u16 holds");
        assertThat((byte[]) types.decode(HEX.parseHex("28ff03"), MetadataWriter.BIT_SEQUENCE, "t"))
                .containsExactly(0xff, 0x03);
        assertThat(types.decode(HEX.parseHex("0102030405060708"), MetadataWriter.U64, "t"))
                .isEqualTo(new BigInteger("0807060504030201", 16));
        TypeRegistry.Variant data =
                (TypeRegistry.Variant) types.decode(HEX.parseHex("04616263"), MetadataWriter.DATA, "t");
        assertThat(data.name()).isEqualTo("Raw3");
        assertThat((byte[]) data.values().get(0)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> types.decode(HEX.parseHex("ff"), MetadataWriter.DATA, "t"))
                .hasMessageContaining("no such variant");
        // declared defaults: ValueQuery items give their default when absent, OptionQuery items give nothing
        assertThat(metadata.value("SubtensorModule", "WeightsSetRateLimit", null, "t"))
                .contains(BigInteger.valueOf(100));
        assertThat(metadata.value("SubtensorModule", "CommitRevealWeightsEnabled", null, "t"))
                .contains(false);
        assertThat(metadata.value("Commitments", "CommitmentOf", null, "t")).isEmpty();
        assertThatThrownBy(() -> metadata.storage("SubtensorModule", "Nothing"))
                .hasMessageContaining("has no storage item Nothing");
    }

    @Test
    void anAbsentCommitRevealFlagTakesTheDefaultTheRuntimeDeclares() {
        node.advance(200);
        node.commitReveal(null);
        assertThat(chain.setWeights(hotkey(1), List.of(1), List.of(1), 0)).isPositive();
        node.commitRevealDefault(true);
        node.upgradeRuntime(FakeSubtensorNode.SPEC_VERSION + 1, Map.of("set_weights", 0));
        node.advance(200);
        assertThatThrownBy(() -> chain.setWeights(hotkey(1), List.of(1), List.of(1), 0))
                .hasMessageContaining("CommitRevealWeightsEnabled is unset, and the runtime's default is true");
    }

    @Test
    void aRuntimeUpgradeBetweenTwoSetWeightsIsFollowed() {
        node.advance(200);
        chain.setWeights(hotkey(1), List.of(1), List.of(1), 0);
        // the upgrade moves set_weights to another call index and bumps the spec version (signatures commit to it)
        node.upgradeRuntime(FakeSubtensorNode.SPEC_VERSION + 1, Map.of("serve_axon", 0, "set_weights", 3));
        node.advance(200);
        long block = chain.setWeights(hotkey(1), List.of(2), List.of(1), 0);
        assertThat(chain.weights(hotkey(1).ss58Address()).orElseThrow().block()).isEqualTo(block);
        assertThat(node.extrinsics())
                .containsExactly(
                        "set_weights@spec" + FakeSubtensorNode.SPEC_VERSION,
                        "set_weights@spec" + (FakeSubtensorNode.SPEC_VERSION + 1));
    }

    @Test
    void eachHostileCommitmentRejectsItsOwnHotkeyAndTheScanGoesOn() {
        node.advance(200);
        chain.commit(hotkey(1), MODEL);
        Hotkey nonUtf8 = hotkey(2);
        Hotkey sha = hotkey(3);
        Hotkey none = hotkey(4);
        Hotkey empty = hotkey(5);
        Hotkey garbage = hotkey(6);
        for (Hotkey h : List.of(none, empty, garbage)) {
            node.register(h.publicKey(), 0);
        }
        // Registration { deposit: u64, block: u32, info: { fields: BoundedVec<Data> } }
        node.rawCommitment(
                nonUtf8.publicKey(),
                HEX.parseHex("0000000000000000" + "07000000" + "04" + "04" + "ff fe c0".replace(" ", "")));
        node.rawCommitment(
                sha.publicKey(), HEX.parseHex("0000000000000000" + "08000000" + "04" + "83" + "11".repeat(32)));
        node.rawCommitment(none.publicKey(), HEX.parseHex("0000000000000000" + "09000000" + "04" + "00"));
        node.rawCommitment(empty.publicKey(), HEX.parseHex("0000000000000000" + "0a000000" + "00"));
        node.rawCommitment(garbage.publicKey(), HEX.parseHex("00000000"));
        Map<String, Commitment> all = chain.commitments();
        assertThat(all).hasSize(6);
        assertThat(all.get(hotkey(1).ss58Address()))
                .isEqualTo(new Commitment(
                        hotkey(1).ss58Address(),
                        MODEL,
                        all.get(hotkey(1).ss58Address()).block()));
        assertThat(all.get(hotkey(1).ss58Address()).readable()).isTrue();
        assertThat(all.get(nonUtf8.ss58Address())).satisfies(c -> {
            assertThat(c.readable()).isFalse();
            assertThat(c.block()).isEqualTo(7);
            assertThat(c.problem()).contains("0xfffec0").contains("not UTF-8");
        });
        assertThat(all.get(sha.ss58Address()).problem())
                .isEqualTo("its first field is Data::Sha256, not Data::Raw text");
        assertThat(all.get(sha.ss58Address()).block()).isEqualTo(8);
        assertThat(all.get(none.ss58Address()).problem())
                .isEqualTo("its first field is Data::None, not Data::Raw text");
        assertThat(all.get(empty.ss58Address()).problem()).isEqualTo("it has no fields");
        assertThat(all.get(garbage.ss58Address()).problem())
                .contains("the commitment of " + garbage.ss58Address())
                .contains("truncated");
        assertThat(chain.commitment(sha.ss58Address()))
                .hasValueSatisfying(c -> assertThat(c.readable()).isFalse());
    }

    private static Hotkey hotkey(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[1] = 19;
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }
}
