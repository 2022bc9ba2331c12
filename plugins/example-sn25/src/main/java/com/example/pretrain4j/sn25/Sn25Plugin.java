package com.example.pretrain4j.sn25;

import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.List;

/** Contributes the scoring policy {@code subnet-25}. */
public final class Sn25Plugin implements Plugin {
    @Override
    public String name() {
        return "example-sn25";
    }

    @Override
    public List<ScoringPolicyFactory> scoringPolicyFactories() {
        return List.of(new Sn25PolicyFactory());
    }
}
