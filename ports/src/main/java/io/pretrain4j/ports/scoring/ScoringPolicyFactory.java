package io.pretrain4j.ports.scoring;

import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link ScoringPolicy}; the validator picks one by name ({@code scoring.policy}). */
public interface ScoringPolicyFactory extends NamedFactory<ScoringPolicy> {}
