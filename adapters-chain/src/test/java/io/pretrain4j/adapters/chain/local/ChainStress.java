package io.pretrain4j.adapters.chain.local;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Hotkey;
import java.util.HashMap;
import java.util.Map;

/**
 * A process of the multi-process test: {@code writer <dir> <seconds> <first-key> <keys>} commits
 * for its hotkeys as fast as the rate limit lets it and prints {@code OK <hotkey> <data> <block>} for
 * every commitment the chain accepted; {@code reader <dir> <seconds>} reads all commitments in a
 * loop, checks each one is whole and never goes back, and prints {@code READS <n>}.
 */
public final class ChainStress {
    private ChainStress() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Map<String, String> config = Map.of("dir", args[1], "block-time", "20ms", "commit-rate-limit", "5");
        long end = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        try (Chain chain = new LocalChainFactory().create(config)) {
            if (mode.equals("writer")) {
                int first = Integer.parseInt(args[3]);
                int count = Integer.parseInt(args[4]);
                long sequence = 0;
                long limited = 0;
                while (System.currentTimeMillis() < end) {
                    for (int k = first; k < first + count; k++) {
                        Hotkey hotkey = LocalChainContractTest.key(k);
                        String data = "ns" + k + ":m:" + Long.toHexString(++sequence) + ":h:1";
                        try {
                            long block = chain.commit(hotkey, data);
                            System.out.println("OK " + hotkey.ss58Address() + " " + data + " " + block);
                        } catch (Pretrain4jException e) {
                            if (e.errorCode() != ChainErrorCode.RATE_LIMITED) {
                                throw e;
                            }
                            limited++;
                        }
                    }
                    System.out.flush();
                }
                System.out.println("LIMITED " + limited);
            } else {
                long reads = 0;
                Map<String, Long> lastBlock = new HashMap<>();
                while (System.currentTimeMillis() < end) {
                    for (Commitment commitment : chain.commitments().values()) {
                        if (!commitment.data().matches("ns\\d+:m:[0-9a-f]+:h:1")) {
                            throw new IllegalStateException("torn commitment read: " + commitment);
                        }
                        Long before = lastBlock.put(commitment.hotkey(), commitment.block());
                        if (before != null && commitment.block() < before) {
                            throw new IllegalStateException(
                                    "commitment went back in time: " + commitment + " after block " + before);
                        }
                    }
                    reads++;
                }
                System.out.println("READS " + reads);
            }
        }
    }
}
