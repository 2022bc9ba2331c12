package io.pretrain4j.cyclefixture.a;

import io.pretrain4j.cyclefixture.b.Second;

/** One half of a package cycle. */
public final class First {
    public Second second() {
        return null;
    }
}
