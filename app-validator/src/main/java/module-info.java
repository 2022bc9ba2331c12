/**
 * The validator launcher: reads HOCON configuration, discovers plugins, wires them with Guice and
 * runs picocli commands. Adapters are reached only through the SPI.
 */
module io.pretrain4j.app.validator {
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.plugins.host;
    requires com.google.guice;
    requires jakarta.inject;
    requires typesafe.config;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.logging;
    requires java.management;

    uses io.pretrain4j.ports.spi.Plugin;

    // the miner app and the benchmarks share the launcher's configuration, wiring and command plumbing
    exports io.pretrain4j.app.validator to io.pretrain4j.app.miner, io.pretrain4j.app.bench;
    exports io.pretrain4j.app.validator.config to io.pretrain4j.app.miner, io.pretrain4j.app.bench;
    exports io.pretrain4j.app.validator.cli to io.pretrain4j.app.miner, io.pretrain4j.app.bench;
    // the miner's integration tests run a validator step and build the demo's subnet
    exports io.pretrain4j.app.validator.loop to io.pretrain4j.app.miner;
    exports io.pretrain4j.app.validator.demo to io.pretrain4j.app.miner, io.pretrain4j.app.bench;

    opens io.pretrain4j.app.validator to com.google.guice, info.picocli;
    opens io.pretrain4j.app.validator.cli to info.picocli, com.google.guice;
    opens io.pretrain4j.app.validator.loop to com.fasterxml.jackson.databind;
}
