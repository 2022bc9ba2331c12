package io.pretrain4j.ports.runlog;

import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link RunLogger} ({@code wandb}, or a plugin's). */
public interface RunLoggerFactory extends NamedFactory<RunLogger> {}
