package com.example.pretrain4j.sn25;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import java.util.Map;

/** {@code subnet-25}; key {@code outlier-threshold} (default 2 standard deviations). */
public final class Sn25PolicyFactory implements ScoringPolicyFactory {
    @Override
    public String name() {
        return Sn25ScoringPolicy.NAME;
    }

    @Override
    public ScoringPolicy create(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!key.equals("outlier-threshold")) {
                throw new Pretrain4jException(
                        PortErrorCode.INVALID_CONFIG,
                        "subnet-25: unknown key '" + key + "' (known: outlier-threshold)");
            }
        }
        double threshold;
        try {
            threshold = Double.parseDouble(config.getOrDefault("outlier-threshold", "2"));
        } catch (NumberFormatException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "subnet-25: outlier-threshold must be a number");
        }
        if (!(threshold > 0)) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "subnet-25: outlier-threshold must be > 0");
        }
        return new Sn25ScoringPolicy(threshold);
    }
}
