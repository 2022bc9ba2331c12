package io.pretrain4j.adapters.dataset.hfrows;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The reference's datasets (its {@code DatasetId} names) as datasets-server coordinates and page
 * rules (macrocosm-os/pretraining {@code pretrain/dataset.py}).
 */
enum Preset {
    FALCON("tiiuae/falcon-refinedweb", Style.OFFSETS, "default", 968_000_015L, false),
    FINEWEB("HuggingFaceFW/fineweb", Style.CONFIGS, null, 0, false),
    FINEWEB2("HuggingFaceFW/fineweb-edu-score-2", Style.CONFIGS, null, 0, false),
    PES2OX("laion/Pes2oX-fulltext", Style.OFFSETS, "pes2ov2", 8_242_000L, false),
    FINEMATH3P("HuggingFaceTB/finemath", Style.OFFSETS, "finemath-3plus", 21_400_000L, false),
    WEBMATH3P("HuggingFaceTB/finemath", Style.OFFSETS, "infiwebmath-3plus", 13_900_000L, false),
    STACK1("bigcode/the-stack-dedup", Style.OFFSETS, "default", 236_655_813L, true);

    /** How pages are drawn. */
    enum Style {
        /** {@code randint(1, max_pages)} row offsets in one config (the simple loaders). */
        OFFSETS,
        /** Aligned pages over the configs {@code /size} lists (the FineWeb loaders). */
        CONFIGS
    }

    final String dataset;
    final Style style;
    final String config;
    final long maxPages;
    final boolean requiresAuth;

    Preset(String dataset, Style style, String config, long maxPages, boolean requiresAuth) {
        this.dataset = dataset;
        this.style = style;
        this.config = config;
        this.maxPages = maxPages;
        this.requiresAuth = requiresAuth;
    }

    static Optional<Preset> byName(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
