package io.pretrain4j.domain.archfixture;

import java.util.List;

/** Obeys every rule. */
public final class CleanDomain {
    public List<String> names() {
        return List.of("a");
    }
}
