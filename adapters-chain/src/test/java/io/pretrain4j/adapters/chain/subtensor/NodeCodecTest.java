package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The fake node's own codec against values published in Substrate's documentation, not against the adapter. */
class NodeCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void compactIntegersAsTheScaleSpecificationWritesThem() {
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(0).toByteArray())).isEqualTo("00");
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(1).toByteArray())).isEqualTo("04");
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(42).toByteArray())).isEqualTo("a8");
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(69).toByteArray())).isEqualTo("1501");
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(65535).toByteArray()))
                .isEqualTo("feff0300");
        assertThat(HEX.formatHex(new NodeCodec.Out().compact(1L << 30).toByteArray()))
                .isEqualTo("0300000040");
        for (long value : new long[] {0, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, Long.MAX_VALUE}) {
            assertThat(new NodeCodec.In(new NodeCodec.Out().compact(value).toByteArray()).compact())
                    .isEqualTo(value);
        }
    }

    @Test
    void storageKeysAndAddressesAsSubstrateDocumentsThem() {
        // System.Account's prefix, as every Substrate explorer shows it
        assertThat(HEX.formatHex(NodeCodec.prefix("System", "Account")))
                .isEqualTo("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9");
        // the well-known development account Alice
        byte[] alice = HEX.parseHex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        assertThat(NodeCodec.ss58(alice)).isEqualTo("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        assertThat(NodeCodec.account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"))
                .hasValueSatisfying(a -> assertThat(a).isEqualTo(alice));
        assertThat(NodeCodec.account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"))
                .as("checksum")
                .isEmpty();
        assertThat(NodeCodec.blake2128Concat(alice)).hasSize(48).endsWith(alice);
        assertThat(NodeCodec.twox64Concat(alice)).hasSize(40).endsWith(alice);
    }
}
