package io.pretrain4j.adapters.chain.local;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.plugins.testkit.chain.ChainContract;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Hotkey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class LocalChainContractTest extends ChainContract {
    @TempDir
    Path dir;

    private int chains;

    @Override
    protected Chain createChain() {
        return new LocalChainFactory()
                .create(Map.of(
                        "dir", dir.resolve("chain-" + chains++).toString(), "block-time", "0", "version-key", "5"));
    }

    @Override
    protected void register(Chain chain, Hotkey hotkey, long stakeRao) {
        ((ChainAdmin) chain).register(hotkey.ss58Address(), "", stakeRao);
    }

    @Override
    protected void advance(Chain chain, long blocks) {
        ((ChainAdmin) chain).advance(blocks);
    }

    @Override
    protected Hotkey hotkey(int n) {
        return key(n);
    }

    static Hotkey key(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }
}
