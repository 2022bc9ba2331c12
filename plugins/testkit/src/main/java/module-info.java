/**
 * The testkit for pretrain4j modules and third-party plugins: the architecture rules as ArchUnit
 * rules, and (as ports gain them) the port contract suites.
 */
module io.pretrain4j.plugins.testkit {
    requires transitive io.pretrain4j.ports;
    requires transitive com.tngtech.archunit;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires transitive org.assertj.core;

    exports io.pretrain4j.plugins.testkit;
    exports io.pretrain4j.plugins.testkit.inference;
}
