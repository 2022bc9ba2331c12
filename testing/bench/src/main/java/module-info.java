/**
 * The benchmarks of {@code bin/pretrain4j bench}: scoring, inference, backends, tokenizer, downloads and
 * memory, each against a baseline measured in the same run. A launcher of its own (it prints), kept out
 * of the production apps' module graphs together with the loopback fakes it starts.
 */
module io.pretrain4j.app.bench {
    requires io.pretrain4j.app.validator;
    requires io.pretrain4j.launcher;
    requires io.pretrain4j.plugins.host;
    requires io.pretrain4j.evaluation;
    requires io.pretrain4j.testing.fakes;
    requires info.picocli;
    requires com.google.guice;
    requires java.management;

    uses io.pretrain4j.ports.spi.Plugin;

    opens io.pretrain4j.app.bench to
            info.picocli;
}
