package io.pretrain4j.adapters.chain.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.ChainErrorCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The local chain's rules for a set of weights, as subtensor's set_weights checks them. */
final class WeightRules {
    private WeightRules() {}

    /** The chain's checks on weights, then max-upscaling: {@code round(w * 65535 / max)}. */
    static int[] checkedAndUpscaled(List<Integer> uidList, List<Integer> weightList, int subnetSize) {
        if (uidList.size() != weightList.size()) {
            throw invalidWeights(uidList.size() + " uids but " + weightList.size() + " weights");
        }
        if (uidList.isEmpty()) {
            throw invalidWeights("no weights");
        }
        Set<Integer> seen = new HashSet<>();
        long max = 0;
        for (int i = 0; i < uidList.size(); i++) {
            int uid = uidList.get(i);
            int weight = weightList.get(i);
            if (uid < 0 || uid >= subnetSize) {
                throw invalidWeights("uid " + uid + " does not exist (the subnet has " + subnetSize + ")");
            }
            if (!seen.add(uid)) {
                throw invalidWeights("uid " + uid + " appears twice");
            }
            if (weight < 0 || weight > 65535) {
                throw invalidWeights("weight " + weight + " for uid " + uid + " is not a u16");
            }
            max = Math.max(max, weight);
        }
        if (max == 0) {
            throw invalidWeights("all weights are zero");
        }
        int[] upscaled = new int[weightList.size()];
        for (int i = 0; i < upscaled.length; i++) {
            upscaled[i] = (int) Math.round(weightList.get(i) * 65535.0 / max);
        }
        return upscaled;
    }

    private static Pretrain4jException invalidWeights(String message) {
        return new Pretrain4jException(ChainErrorCode.INVALID_WEIGHTS, "set_weights refused: " + message);
    }

    /** A JSON array of whole numbers from the log. */
    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
