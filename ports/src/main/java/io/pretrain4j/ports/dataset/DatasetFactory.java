package io.pretrain4j.ports.dataset;

import io.pretrain4j.ports.NamedFactory;

/** Creates a {@link TextDataset}; datasets are configured by name (e.g. {@code local}, {@code hf-rows}). */
public interface DatasetFactory extends NamedFactory<TextDataset> {}
