package io.pretrain4j.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void suggestsTheClosestNameWithinTheLimit() {
        assertThat(Suggestions.closest("refrence", List.of("wandb-era", "reference"), 3))
                .contains("reference");
        assertThat(Suggestions.closest("zzzzzz", List.of("wandb-era", "reference"), 3))
                .isEmpty();
        assertThat(Suggestions.closest("x", List.of(), 3)).isEmpty();
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
