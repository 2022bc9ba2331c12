package io.pretrain4j.adapters.chain.subtensor;

import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.plugins.testkit.chain.ChainContract;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The chain contract for {@code subtensor}, against the loopback fake node (which verifies every signature). */
class SubtensorChainContractTest extends ChainContract {
    private final Map<Chain, FakeSubtensorNode> nodes = new IdentityHashMap<>();
    private final List<FakeSubtensorNode> all = new ArrayList<>();

    @Override
    protected Chain createChain() {
        try {
            FakeSubtensorNode node = new FakeSubtensorNode(9);
            node.versionKey(5);
            all.add(node);
            Chain chain = new SubtensorChainFactory()
                    .create(Map.of("endpoint", node.endpoint().toString(), "timeout", "5s"));
            nodes.put(chain, node);
            return chain;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void register(Chain chain, Hotkey hotkey, long stakeRao) {
        nodes.get(chain).register(hotkey.publicKey(), stakeRao);
    }

    @Override
    protected void advance(Chain chain, long blocks) {
        nodes.get(chain).advance(blocks);
    }

    @Override
    protected Hotkey hotkey(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[31] = 7;
        byte[] publicKey = Sr25519.publicKey(seed);
        return new Hotkey(Ss58.encode(publicKey), publicKey, seed);
    }

    @AfterEach
    void stopNodes() throws IOException {
        for (FakeSubtensorNode node : all) {
            node.close();
        }
        all.clear();
        nodes.clear();
    }
}
