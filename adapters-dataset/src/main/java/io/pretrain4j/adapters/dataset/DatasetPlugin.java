package io.pretrain4j.adapters.dataset;

import io.pretrain4j.adapters.dataset.hfrows.HfRowsDatasetFactory;
import io.pretrain4j.adapters.dataset.local.LocalDatasetFactory;
import io.pretrain4j.adapters.dataset.tokenizer.JTokkitTokenizerFactory;
import io.pretrain4j.ports.dataset.DatasetFactory;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import io.pretrain4j.ports.spi.Plugin;
import java.util.List;

/** Contributes the {@code local} and {@code hf-rows} datasets and the {@code jtokkit} tokenizers. */
public final class DatasetPlugin implements Plugin {
    @Override
    public String name() {
        return "dataset";
    }

    @Override
    public List<DatasetFactory> datasetFactories() {
        return List.of(new LocalDatasetFactory(), new HfRowsDatasetFactory());
    }

    @Override
    public List<TokenizerFactory> tokenizerFactories() {
        return List.of(new JTokkitTokenizerFactory());
    }
}
