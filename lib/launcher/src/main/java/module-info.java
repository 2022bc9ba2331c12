/**
 * What every pretrain4j launcher (the validator, the miner, the benchmarks) shares: configuration
 * loading (HOCON layers, {@code PRETRAIN4J_*} overrides, the environment turned into factory keys,
 * every problem at once), plugin discovery, the Guice wiring of chains, stores, datasets and inference
 * from the configuration (one injector per process), picocli failure handling and logging, the
 * {@code wallet} and {@code chain} commands both apps offer, and the {@link io.pretrain4j.launcher.config.AppSection}
 * through which each app reads its own section. No launcher depends on another.
 */
module io.pretrain4j.launcher {
    requires transitive io.pretrain4j.plugins.host;
    requires transitive io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires transitive com.google.guice;
    requires jakarta.inject;
    requires transitive typesafe.config;
    requires transitive info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.logging;

    uses io.pretrain4j.ports.spi.Plugin;

    exports io.pretrain4j.launcher;
    exports io.pretrain4j.launcher.cli;
    exports io.pretrain4j.launcher.config;

    opens io.pretrain4j.launcher to
            com.google.guice,
            info.picocli;
    opens io.pretrain4j.launcher.cli to
            info.picocli;
}
