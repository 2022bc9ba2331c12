package io.pretrain4j.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    @Test
    void suggestsTheClosestNameWithinTheLimit() {
        assertThat(Suggestions.closest("refrence", List.of("wandb-era", "reference"), 3)).contains("reference");
        assertThat(Suggestions.closest("zzzzzz", List.of("wandb-era", "reference"), 3)).isEmpty();
        assertThat(Suggestions.closest("x", List.of(), 3)).isEmpty();
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
