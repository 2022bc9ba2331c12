/**
 * The validator app: its own configuration section ({@code ValidatorSection}, read through the launcher),
 * {@code ValidatorRuntime} (what the launcher's injector chose, handed to the validator core), the picocli
 * commands and the demo. Configuration, wiring and plugin discovery are {@code lib/launcher}'s; the loop is
 * {@code lib/validator-core}'s. Adapters are reached only through the SPI.
 */
module io.pretrain4j.app.validator {
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.launcher;
    requires io.pretrain4j.validator;
    requires io.pretrain4j.plugins.host;
    requires com.google.guice;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.logging;
    requires java.management;

    uses io.pretrain4j.ports.spi.Plugin;

    // the benchmarks build the demo's models
    exports io.pretrain4j.app.validator.demo to
            io.pretrain4j.app.bench;

    opens io.pretrain4j.app.validator to
            com.google.guice,
            info.picocli;
    opens io.pretrain4j.app.validator.cli to
            info.picocli,
            com.google.guice;
}
