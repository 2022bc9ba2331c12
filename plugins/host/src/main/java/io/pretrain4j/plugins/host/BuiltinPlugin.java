package io.pretrain4j.plugins.host;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.ReferenceScoringPolicy;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.domain.scoring.WandbEraScoringPolicy;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What pretrain4j offers without any adapter: the domain's scoring policies, {@code reference}
 * (keys {@code temperature}, {@code alpha}) and {@code wandb-era} (no keys).
 */
public final class BuiltinPlugin implements Plugin {
    @Override
    public String name() {
        return "builtin";
    }

    @Override
    public List<ScoringPolicyFactory> scoringPolicyFactories() {
        return List.of(
                policy(
                        ReferenceScoringPolicy.NAME,
                        Set.of("temperature", "alpha"),
                        config -> new ReferenceScoringPolicy(
                                number(config, "temperature", ReferenceScoringPolicy.TEMPERATURE),
                                number(config, "alpha", ReferenceScoringPolicy.ALPHA))),
                policy(WandbEraScoringPolicy.NAME, Set.of(), config -> new WandbEraScoringPolicy()));
    }

    private static ScoringPolicyFactory policy(
            String name, Set<String> keys, Function<Map<String, String>, ScoringPolicy> create) {
        return new ScoringPolicyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ScoringPolicy create(Map<String, String> config) {
                Set<String> unknown = new HashSet<>(config.keySet());
                unknown.removeAll(keys);
                if (!unknown.isEmpty()) {
                    throw new Pretrain4jException(
                            PortErrorCode.INVALID_CONFIG,
                            "scoring policy '" + name + "' does not take "
                                    + unknown.stream().sorted().toList() + "; it takes "
                                    + keys.stream().sorted().toList());
                }
                return create.apply(config);
            }
        };
    }

    private static double number(Map<String, String> config, String key, double fallback) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "scoring policy key '" + key + "' must be a number, got '" + value + "'",
                    e);
        }
    }
}
