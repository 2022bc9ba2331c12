package io.pretrain4j.adapters.chain.subtensor;

import java.util.List;

/**
 * The bytes of commit-reveal weights (COMMIT_REVEAL.md sections 2 and 3.2), as subtensor computes and
 * decodes them. The first slice of issue 21: the encodings, checked against the spec's examples; the
 * calls, the schedule and the timelock encryption build on them.
 */
final class WeightCommits {
    /** netuid_index = mecid * 4096 + netuid (ST src/subnets/mechanism.rs). */
    static final int MECHANISM_STRIDE = 4096;

    private WeightCommits() {}

    /**
     * The CRv2 commit hash: BLAKE2b-256 of the hotkey's 32-byte account id, the u16 netuid index, the
     * uids, values and salt as SCALE {@code Vec<u16>}, and the u64 version key (ST get_commit_hash;
     * the SDK's generate_weight_hash). The values must be hashed exactly as they will be revealed.
     */
    static byte[] commitHash(
            byte[] accountId,
            int netuid,
            int mechanism,
            List<Integer> uids,
            List<Integer> values,
            List<Integer> salt,
            long versionKey) {
        if (accountId.length != 32) {
            throw new IllegalArgumentException("an account id is 32 bytes, got " + accountId.length);
        }
        Scale.Writer preimage = new Scale.Writer().bytes(accountId).u16(netuidIndex(netuid, mechanism));
        u16s(preimage, uids, "uid");
        u16s(preimage, values, "value");
        u16s(preimage, salt, "salt");
        preimage.u64(versionKey);
        return StorageKeys.blake2b(preimage.toByteArray(), 32);
    }

    /**
     * The CRv4 plaintext: SCALE {@code WeightsTlockPayload{hotkey: Vec<u8>, uids: Vec<u16>, values:
     * Vec<u16>, version_key: u64}}, the hotkey being the signer's 32-byte public key.
     */
    static byte[] timelockPayload(byte[] hotkey, List<Integer> uids, List<Integer> values, long versionKey) {
        if (hotkey.length != 32) {
            throw new IllegalArgumentException("a hotkey public key is 32 bytes, got " + hotkey.length);
        }
        Scale.Writer payload = new Scale.Writer().vec(hotkey);
        u16s(payload, uids, "uid");
        u16s(payload, values, "value");
        return payload.u64(versionKey).toByteArray();
    }

    static int netuidIndex(int netuid, int mechanism) {
        if (netuid < 0 || netuid >= MECHANISM_STRIDE || mechanism < 0 || mechanism > 15) {
            throw new IllegalArgumentException("netuid " + netuid + " / mechanism " + mechanism + " out of range");
        }
        return mechanism * MECHANISM_STRIDE + netuid;
    }

    private static void u16s(Scale.Writer writer, List<Integer> items, String what) {
        writer.compact(items.size());
        for (int item : items) {
            if (item < 0 || item > 0xFFFF) {
                throw new IllegalArgumentException(what + " " + item + " is not a u16");
            }
            writer.u16(item);
        }
    }
}
