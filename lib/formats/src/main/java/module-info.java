/**
 * The file formats pretrain4j reads and writes, on the JDK, the ports and the toolkit alone: JSON as
 * Python's {@code json} module reads it ({@code json}), safetensors files read by the Rust crate's rules
 * and written atomically, and the seeded models written from a {@code ModelSpec} ({@code safetensors}),
 * a model's {@code config.json} read into the ports' {@code ModelConfig} ({@code config}), and
 * competition schedule files, the shipped subnet-9 one among them ({@code schedule}).
 */
module io.pretrain4j.formats {
    requires transitive io.pretrain4j.ports;
    requires io.pretrain4j.toolkit;

    exports io.pretrain4j.formats.json;
    exports io.pretrain4j.formats.safetensors;
    exports io.pretrain4j.formats.config;
    exports io.pretrain4j.formats.schedule;
}
