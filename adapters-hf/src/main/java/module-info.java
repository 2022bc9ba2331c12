/**
 * Model stores: {@code disk} (the validator's local store in the Hugging Face cache layout the
 * reference uses), {@code local-hub} (a directory that behaves like a hub, for one machine) and
 * {@code hf} (the Hugging Face Hub's HTTP API: bounded, resumable, verified downloads; uploads
 * through the commit API).
 */
module io.pretrain4j.adapters.hf {
    requires io.pretrain4j.toolkit;
    requires io.pretrain4j.ports;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    provides io.pretrain4j.ports.spi.Plugin with
            io.pretrain4j.adapters.hf.HfPlugin;
}
