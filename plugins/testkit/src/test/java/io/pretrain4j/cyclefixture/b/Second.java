package io.pretrain4j.cyclefixture.b;

import io.pretrain4j.cyclefixture.a.First;

/** The other half of a package cycle. */
public final class Second {
    public First first() {
        return null;
    }
}
