package io.pretrain4j.thirdparty.good;

import io.pretrain4j.ports.spi.Plugin;

/** A third-party plugin that reaches pretrain4j through the SPI only. */
public final class GoodPlugin implements Plugin {
    @Override
    public String name() {
        return "good";
    }
}
