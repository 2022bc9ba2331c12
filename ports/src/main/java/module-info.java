/**
 * The ports of pretrain4j (what the core needs from the world) and the plugin SPI through which
 * adapters contribute named factories. Depends on the domain only.
 */
module io.pretrain4j.ports {
    requires transitive io.pretrain4j.domain;

    exports io.pretrain4j.ports;
    exports io.pretrain4j.ports.spi;
    exports io.pretrain4j.ports.scoring;
    exports io.pretrain4j.ports.inference;
    exports io.pretrain4j.ports.dataset;
    exports io.pretrain4j.ports.store;
    exports io.pretrain4j.ports.chain;
    exports io.pretrain4j.ports.training;
    exports io.pretrain4j.ports.runlog;

    uses io.pretrain4j.ports.spi.Plugin;
}
