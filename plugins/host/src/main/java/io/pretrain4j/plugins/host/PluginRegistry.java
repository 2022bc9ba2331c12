package io.pretrain4j.plugins.host;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Suggestions;
import io.pretrain4j.ports.NamedFactory;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.Tokenizer;
import io.pretrain4j.ports.dataset.TokenizerFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The factories the host registered, by kind and name, and the problems it met. */
public final class PluginRegistry {
    private final List<LoadedPlugin> plugins;
    private final List<String> problems;
    private final Map<FactoryKind<?>, Map<String, NamedFactory<?>>> factories;

    private PluginRegistry(
            List<LoadedPlugin> plugins,
            List<String> problems,
            Map<FactoryKind<?>, Map<String, NamedFactory<?>>> factories) {
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
        this.factories = factories;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The plugins accepted, in discovery order. */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** Why plugins or factories were refused; empty when all went well. */
    public List<String> problems() {
        return problems;
    }

    /** The registered names of a kind, sorted. */
    public List<String> names(FactoryKind<?> kind) {
        return List.copyOf(factories.getOrDefault(kind, Map.of()).keySet());
    }

    /**
     * The factory of {@code kind} called {@code name}.
     *
     * @throws Pretrain4jException with {@link PortErrorCode#UNKNOWN_FACTORY} listing the names there are
     */
    public <F extends NamedFactory<?>> F factory(FactoryKind<F> kind, String name) {
        NamedFactory<?> factory = factories.getOrDefault(kind, Map.of()).get(name);
        if (factory == null) {
            throw unknownFactory(kind, name, names(kind));
        }
        return kind.type().cast(factory);
    }

    /**
     * The error for a factory name nobody registered: what there is, and the closest name.
     *
     * @param kind the kind looked up
     * @param name the name asked for
     * @param known the names registered for the kind
     */
    public static Pretrain4jException unknownFactory(FactoryKind<?> kind, String name, Collection<String> known) {
        List<String> sorted = known.stream().sorted().toList();
        String hint = Suggestions.closest(name, sorted, 3)
                .map(candidate -> " Did you mean '" + candidate + "'?")
                .orElse("");
        return new Pretrain4jException(
                PortErrorCode.UNKNOWN_FACTORY,
                "No " + kind.label() + " is called '" + name + "'; available: " + sorted + "." + hint);
    }

    /** Collects plugins while the host discovers them. */
    static final class Builder {
        private final List<LoadedPlugin> plugins = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<FactoryKind<?>, Map<String, NamedFactory<?>>> factories = new HashMap<>();
        private final Map<FactoryKind<?>, Map<String, String>> owners = new HashMap<>();

        void add(FactoryKind<?> kind, NamedFactory<?> factory, String owner) {
            if (!kind.type().isInstance(factory)) {
                throw new Pretrain4jException(
                        PortErrorCode.PLUGIN_FAILED,
                        "Plugin " + owner + " lists a " + factory.getClass().getName() + " as a " + kind.label()
                                + " factory");
            }
            String name = factory.name();
            if (name == null || !name.matches("[a-z0-9][a-z0-9.-]{0,62}")) {
                throw new Pretrain4jException(
                        PortErrorCode.PLUGIN_FAILED,
                        "Plugin " + owner + " offers a " + kind.label() + " named '" + name
                                + "'; names are lower-kebab-case (a-z, 0-9, '-', '.'), at most 63 characters");
            }
            Map<String, String> taken = owners.computeIfAbsent(kind, k -> new HashMap<>());
            if (taken.containsKey(name)) {
                throw PluginHost.duplicate(kind, name, taken.get(name), owner);
            }
            taken.put(name, owner);
            factories.computeIfAbsent(kind, k -> new TreeMap<>()).put(name, factory);
        }

        void plugin(LoadedPlugin plugin) {
            plugins.add(plugin);
        }

        void problem(String problem) {
            problems.add(problem);
        }

        PluginRegistry build() {
            Map<FactoryKind<?>, Map<String, NamedFactory<?>>> copy = new HashMap<>();
            factories.forEach((kind, byName) -> copy.put(kind, new TreeMap<>(byName)));
            return new PluginRegistry(plugins, problems, copy);
        }
    }

    /**
     * The tokenizer with the Hugging Face id {@code tokenizerId} (e.g. {@code Xenova/gpt-4}), from
     * the first tokenizer factory, in name order, that lists it.
     */
    public Tokenizer tokenizer(String tokenizerId) {
        List<String> known = new ArrayList<>();
        for (String name : names(FactoryKind.TOKENIZER)) {
            TokenizerFactory candidate = factory(FactoryKind.TOKENIZER, name);
            if (candidate.tokenizerIds().contains(tokenizerId)) {
                return candidate.create(Map.of(TokenizerFactory.ID, tokenizerId));
            }
            known.addAll(candidate.tokenizerIds());
        }
        String hint = Suggestions.closest(tokenizerId, known, 3)
                .map(candidate -> " Did you mean '" + candidate + "'?")
                .orElse("");
        throw new Pretrain4jException(
                DatasetErrorCode.UNKNOWN_TOKENIZER,
                "No tokenizer reproduces '" + tokenizerId + "'; available: " + known + "." + hint);
    }
}
