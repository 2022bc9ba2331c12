/**
 * The miner launcher: trains a model on the configured dataset, evaluates it with the validator's
 * loss, publishes it to the configured store and commits it on chain. Adapters are reached only
 * through the SPI; the shared configuration and wiring come from the launcher module.
 */
module io.pretrain4j.app.miner {
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.launcher;
    requires io.pretrain4j.plugins.host;
    requires com.google.guice;
    requires jakarta.inject;
    requires typesafe.config;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.logging;

    uses io.pretrain4j.ports.spi.Plugin;

    opens io.pretrain4j.app.miner.cli to
            info.picocli;
    opens io.pretrain4j.app.miner.publish to
            com.fasterxml.jackson.databind;
}
