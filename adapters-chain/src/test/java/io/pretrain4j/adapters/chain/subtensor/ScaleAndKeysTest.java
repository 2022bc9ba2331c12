package io.pretrain4j.adapters.chain.subtensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pretrain4j.domain.Pretrain4jException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScaleAndKeysTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void xxHash64MatchesThePublishedValues() {
        assertThat(XxHash64.hash(new byte[0], 0)).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII), 0))
                .isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void storagePrefixesEqualThePublishedOnes() {
        Map<String, String> items = Map.of(
                "System",
                "26aa394eea5630e07c48ae0c9558cef7",
                "Account",
                "b99d880ec681799c0cf30e8886371da9",
                "SubtensorModule",
                "658faa385070e074c85bf6b568cf0555",
                "Keys",
                "9f99a2ce711f3a31b2fc05604c93f179",
                "Uids",
                "aab1b4e78e1ea8305462ee53b3686dc8",
                "SubnetworkN",
                "a1048e9d244171852dfe8db314dc68ca",
                "LastUpdate",
                "696e262a16e52255a69d8acd79354146",
                "WeightsVersionKey",
                "d8cb0c0627a5cd77797c62415dbef962",
                "Commitments",
                "ca407206ec1ab726b2636c4b145ac287",
                "CommitmentOf",
                "419a60ae8b01e6dcaebd7317e43c69bf");
        items.forEach(
                (name, hex) -> assertThat(HEX.formatHex(StorageKeys.twox128(name.getBytes(StandardCharsets.UTF_8))))
                        .as(name)
                        .isEqualTo(hex));
        assertThat(HEX.formatHex(StorageKeys.prefix("System", "Account")))
                .isEqualTo("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9");
        byte[] keys = StorageKeys.entry(
                "SubtensorModule",
                "Keys",
                new Scale.Writer().u16(9).toByteArray(),
                new Scale.Writer().u16(0).toByteArray());
        assertThat(HEX.formatHex(keys))
                .isEqualTo("658faa385070e074c85bf6b568cf0555" + "9f99a2ce711f3a31b2fc05604c93f179" + "0900" + "0000");
        assertThat(StorageKeys.twox64Concat(new byte[] {1, 2})).hasSize(10).endsWith(1, 2);
        assertThat(StorageKeys.blake2128Concat(new byte[] {7})).hasSize(17).endsWith(7);
    }

    @Test
    void compactIntegersRoundTripAtEveryModeBoundary() {
        long[] values = {0, 1, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, 0xFFFFFFFFL, 1L << 32, Long.MAX_VALUE};
        int[] sizes = {1, 1, 1, 2, 2, 4, 4, 5, 5, 6, 9};
        for (int i = 0; i < values.length; i++) {
            byte[] encoded = new Scale.Writer().compact(values[i]).toByteArray();
            assertThat(encoded).as("compact " + values[i]).hasSize(sizes[i]);
            Scale.Reader reader = new Scale.Reader(encoded, "test");
            assertThat(reader.compact()).isEqualTo(values[i]);
            assertThat(reader.atEnd()).isTrue();
        }
        assertThat(HEX.formatHex(new Scale.Writer()
                        .compact(1)
                        .compact(64)
                        .compact(1L << 30)
                        .toByteArray()))
                .isEqualTo("04" + "0101" + "0300000040");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            long value = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            assertThat(new Scale.Reader(new Scale.Writer().compact(value).toByteArray(), "t").compact())
                    .isEqualTo(value);
        }
    }

    @Test
    void compactIntegersCoverTheWholeU128Range() {
        BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        byte[] encoded = new Scale.Writer().compact(max).toByteArray();
        assertThat(HEX.formatHex(encoded)).isEqualTo("33" + "ff".repeat(16));
        assertThat(new Scale.Reader(encoded, "t").compactBig()).isEqualTo(max);
        BigInteger[] values = {
            BigInteger.ONE.shiftLeft(63),
            BigInteger.ONE.shiftLeft(64),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(12345)),
            BigInteger.ONE.shiftLeft(127)
        };
        int[] sizes = {9, 10, 9, 14, 17};
        for (int i = 0; i < values.length; i++) {
            byte[] bytes = new Scale.Writer().compact(values[i]).toByteArray();
            assertThat(bytes).as("compact " + values[i]).hasSize(sizes[i]);
            Scale.Reader reader = new Scale.Reader(bytes, "t");
            assertThat(reader.compactBig()).isEqualTo(values[i]);
            assertThat(reader.atEnd()).isTrue();
        }
        // 2^64 as parity-scale-codec writes it: 5 length bytes above 4, then 9 little-endian bytes
        assertThat(HEX.formatHex(
                        new Scale.Writer().compact(BigInteger.ONE.shiftLeft(64)).toByteArray()))
                .isEqualTo("17" + "00".repeat(8) + "01");
        assertThatThrownBy(() -> new Scale.Writer().compact(max.add(BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scale.Reader(
                                new byte[] {(byte) 0x37, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17},
                                "x")
                        .compactBig())
                .hasMessageContaining("claims 17 bytes");
    }

    @Test
    void nonCanonicalCompactIntegersAreRefusedAsParityScaleCodecRefusesThem() {
        // 1 in two-byte mode, 63 in two-byte mode, 16383 in four-byte mode, 2^30-1 and 1 in big-integer mode with 4
        // bytes, 2^32-1 in 5 bytes (top byte zero), 2^64-1 in 9 bytes
        String[] nonCanonical = {
            "0500", "fd00", "feff0000", "03ffffff3f", "0301000000", "07ffffffff00", "17ffffffffffffffff00"
        };
        for (String hex : nonCanonical) {
            assertThatThrownBy(() -> new Scale.Reader(HEX.parseHex(hex), "Weights").compactBig())
                    .as(hex)
                    .isInstanceOf(Pretrain4jException.class)
                    .hasMessageContaining("is not in canonical form");
        }
        // the smallest value of each mode is accepted
        String[] canonical = {"0101", "02000100", "0300000040", "070000000001"};
        long[] values = {64, 1 << 14, 1L << 30, 1L << 32};
        for (int i = 0; i < canonical.length; i++) {
            assertThat(new Scale.Reader(HEX.parseHex(canonical[i]), "t").compact())
                    .as(canonical[i])
                    .isEqualTo(values[i]);
        }
    }

    @Test
    void truncatedAndOversizedInputFailsNamingWhatWasRead() {
        assertThatThrownBy(() -> new Scale.Reader(new byte[] {1, 2, 3}, "CommitmentOf").u32())
                .isInstanceOf(Pretrain4jException.class)
                .hasMessageContaining("CommitmentOf: malformed SCALE data: truncated: reading u32");
        assertThatThrownBy(() ->
                        new Scale.Reader(new byte[] {(byte) 0xfd, (byte) 0xff, (byte) 0xff, 0x7f}, "neurons").vec())
                .hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> new Scale.Reader(new byte[] {(byte) 0x17, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "x").compact())
                .hasMessageContaining("larger than 2^63-1");
        assertThatThrownBy(() -> new Scale.Reader(new byte[] {2}, "x").bool()).hasMessageContaining("a bool is 0 or 1");
        assertThatThrownBy(() -> new Scale.Reader(new byte[] {(byte) 0xfc, 0, 0}, "weights").count(2, "weights"))
                .hasMessageContaining("weights: 63 items cannot fit");
    }
}
