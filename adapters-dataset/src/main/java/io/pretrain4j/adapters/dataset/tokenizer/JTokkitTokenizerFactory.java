package io.pretrain4j.adapters.dataset.tokenizer;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jtokkit}: the byte-level BPE tokenizers of the subnet's competitions, on JTokkit's
 * tiktoken ranks, shared per id (they are immutable and thread-safe).
 */
public final class JTokkitTokenizerFactory implements TokenizerFactory {
    /** The factory's name. */
    public static final String NAME = "jtokkit";

    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> tokenizerIds() {
        return TokenizerSpec.ids();
    }

    @Override
    public Tokenizer create(Map<String, String> config) {
        FactoryConfig settings = new FactoryConfig(NAME, config, Set.of(ID));
        String id = settings.optional(ID).orElse(null);
        if (id == null) {
            settings.problem("the key '" + ID + "' (a tokenizer id such as " + TokenizerSpec.ids() + ") is required");
        }
        settings.done();
        TokenizerSpec spec = TokenizerSpec.byId(id)
                .orElseThrow(() -> new Pretrain4jException(
                        DatasetErrorCode.UNKNOWN_TOKENIZER,
                        "jtokkit does not reproduce the tokenizer '" + id + "'; it knows " + TokenizerSpec.ids()));
        return CACHE.computeIfAbsent(spec.id(), ignored -> new JTokkitTokenizer(spec));
    }
}
