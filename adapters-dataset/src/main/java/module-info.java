/**
 * Datasets and tokenizers: {@code local} (JSON lines files; the shipped Brown Corpus sample is the
 * default), {@code hf-rows} (the Hugging Face datasets-server, as the reference reads FineWeb,
 * Falcon and the others), and the {@code gpt2} / {@code Xenova/gpt-4} tokenizers on JTokkit.
 */
module io.pretrain4j.adapters.dataset {
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires jtokkit;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.dataset.DatasetPlugin;
}
