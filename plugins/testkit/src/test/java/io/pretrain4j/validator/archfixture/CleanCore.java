package io.pretrain4j.validator.archfixture;

import io.pretrain4j.ports.chain.Chain;

/** Obeys the validator-core rule: its services are ports, given to its constructor. */
public final class CleanCore {
    private final Chain chain;

    public CleanCore(Chain chain) {
        this.chain = chain;
    }

    public long block() {
        return chain.currentBlock();
    }
}
