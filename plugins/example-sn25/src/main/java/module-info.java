/** An example drop-in plugin: the scoring policy {@code subnet-25}. */
module com.example.pretrain4j.sn25 {
    requires io.pretrain4j.ports;

    provides io.pretrain4j.ports.spi.Plugin with
            com.example.pretrain4j.sn25.Sn25Plugin;
}
