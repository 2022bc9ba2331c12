/**
 * The testkit for pretrain4j modules and third-party plugins: the architecture rules as ArchUnit
 * rules, the port contract suites, and loopback fakes of the remote services adapters talk to.
 */
module io.pretrain4j.plugins.testkit {
    requires io.pretrain4j.evaluation;
    requires transitive io.pretrain4j.ports;
    requires transitive com.tngtech.archunit;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires transitive org.assertj.core;
    requires transitive io.pretrain4j.testing.fakes;

    exports io.pretrain4j.plugins.testkit;
    exports io.pretrain4j.plugins.testkit.inference;
    exports io.pretrain4j.plugins.testkit.dataset;
    exports io.pretrain4j.plugins.testkit.store;
    exports io.pretrain4j.plugins.testkit.chain;
    exports io.pretrain4j.plugins.testkit.training;
}
