package io.pretrain4j.app.miner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.PortErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code pretrain4j.miner} section: who commits, where models go, what to train on.
 *
 * @param wallet the wallet of the hotkey that commits
 * @param hotkey the hotkey's name
 * @param modelDir checkpoints, final models and the training log
 * @param dataset the configured dataset to train on
 * @param trainingBackend the training backend's factory name
 */
public record MinerSettings(String wallet, String hotkey, String modelDir, String dataset, String trainingBackend) {
    private static final Set<String> KEYS = Set.of("wallet", "hotkey", "model-dir", "dataset", "training-backend");

    /** Reads and checks the section of a resolved configuration, listing every problem. */
    public static MinerSettings from(Config root) {
        List<String> problems = new ArrayList<>();
        if (!root.hasPath("pretrain4j.miner")) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "missing the 'pretrain4j.miner' section");
        }
        Config section = root.getConfig("pretrain4j.miner");
        for (String key : section.root().keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key 'pretrain4j.miner." + key + "'"
                        + Suggestions.closest(key, KEYS, 4).map(k -> "; did you mean 'pretrain4j.miner." + k + "'?").orElse(""));
            }
        }
        MinerSettings settings = new MinerSettings(string(section, "wallet", problems), string(section, "hotkey", problems),
                string(section, "model-dir", problems), string(section, "dataset", problems), string(section, "training-backend", problems));
        if (!problems.isEmpty()) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "Invalid configuration (" + problems.size() + " problem(s)):\n  - "
                    + String.join("\n  - ", problems));
        }
        return settings;
    }

    private static String string(Config section, String key, List<String> problems) {
        try {
            String value = section.getString(key);
            if (value.isBlank()) {
                problems.add("pretrain4j.miner." + key + " is empty");
            }
            return value;
        } catch (ConfigException e) {
            problems.add("pretrain4j.miner." + key + ": " + e.getMessage());
            return "";
        }
    }
}
