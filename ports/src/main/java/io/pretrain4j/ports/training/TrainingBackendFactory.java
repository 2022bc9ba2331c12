package io.pretrain4j.ports.training;

import io.pretrain4j.ports.NamedFactory;

/** Creates training backends from configuration keys (device, threads). */
public interface TrainingBackendFactory extends NamedFactory<TrainingBackend> {}
