package io.pretrain4j.adapters.beta.archfixture;

import java.util.logging.Logger;

/** Violates "only apps touch java.util.logging". */
public final class JulUser {
    public void log() {
        Logger.getLogger("x").info("hello");
    }
}
