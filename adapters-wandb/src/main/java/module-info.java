/**
 * Weights &amp; Biases over its GraphQL and file APIs: the {@code wandb} model store (models as run
 * files of signed miner runs, the pretraining subnet's first version) and the {@code wandb} run
 * logger (a validator's steps as run history, buffered on disk and retried).
 */
module io.pretrain4j.adapters.wandb {
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.wandb.WandbPlugin;
}
