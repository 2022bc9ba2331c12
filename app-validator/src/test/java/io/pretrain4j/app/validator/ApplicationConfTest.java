package io.pretrain4j.app.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.NamedFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code application.conf}'s comments against the one source of every factory's defaults
 * ({@code NamedFactory.defaults()}, declared in each adapter's config record): a comment that names another
 * default than the code's, or a factory whose defaults are not documented, fails here.
 */
class ApplicationConfTest {
    /** Where in application.conf each kind of factory is configured. */
    private static final Map<FactoryKind<?>, String> SECTIONS = Map.of(
            FactoryKind.INFERENCE_BACKEND, "inference",
            FactoryKind.TRAINING_BACKEND, "inference",
            FactoryKind.DATASET, "data",
            FactoryKind.LOCAL_MODEL_STORE, "store",
            FactoryKind.REMOTE_MODEL_STORE, "store",
            FactoryKind.CHAIN, "chain",
            FactoryKind.WALLETS, "wallets",
            FactoryKind.RUN_LOGGER, "run-log");

    private static final Pattern ENTRY = Pattern.compile("^\\s*# {3}([a-z0-9.-]+): (.*)$");
    private static final Pattern CONTINUED = Pattern.compile("^\\s*# {5}(.*)$");

    @Test
    void everyShippedFactorysDefaultsAreTheOnesApplicationConfDocuments() throws IOException {
        String conf = applicationConf();
        PluginRegistry registry = Bootstrap.injector(Optional.empty()).getInstance(PluginRegistry.class);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<FactoryKind<?>, String> kind : SECTIONS.entrySet()) {
            for (String name : registry.names(kind.getKey())) {
                NamedFactory<?> factory = registry.factory(kind.getKey(), name);
                if (!factory.defaults().isEmpty()) {
                    problems.addAll(check(conf, kind.getValue(), name, factory.defaults()));
                    checked += factory.defaults().size();
                }
            }
        }
        assertThat(problems)
                .as("application.conf against the factories' defaults")
                .isEmpty();
        assertThat(checked).as("defaults checked").isGreaterThan(60);
    }

    /** The check can fail: a default changed in the comment (or in code) is named. */
    @Test
    void aCommentThatDriftsFromTheCodeIsNamed() throws IOException {
        String drifted = applicationConf()
                .replace("timeout (30s), read-timeout (60s),\n", "timeout (31s), read-timeout (60s),\n");
        assertThat(drifted).isNotEqualTo(applicationConf());
        PluginRegistry registry = Bootstrap.injector(Optional.empty()).getInstance(PluginRegistry.class);
        assertThat(check(
                        drifted,
                        "store",
                        "hf",
                        registry.factory(FactoryKind.REMOTE_MODEL_STORE, "hf").defaults()))
                .containsExactly("store: hf documents no 'timeout (30s'");
        assertThat(check(applicationConf(), "store", "nobody", Map.of("root", "x")))
                .containsExactly("store: no '#   nobody: ...' entry for a factory that declares defaults");
    }

    /** The problems of {@code factory}'s entry in {@code section} of {@code conf} against {@code defaults}. */
    static List<String> check(String conf, String section, String factory, Map<String, String> defaults) {
        Map<String, String> entries = entries(conf, section);
        String entry = entries.get(factory);
        if (entry == null) {
            return List.of(section + ": no '#   " + factory + ": ...' entry for a factory that declares defaults");
        }
        List<String> problems = new ArrayList<>();
        defaults.forEach((key, value) -> {
            if (!Pattern.compile("(^|[ ,;])" + Pattern.quote(key + " (" + value) + "[),;:. ]")
                    .matcher(entry)
                    .find()) {
                problems.add(section + ": " + factory + " documents no '" + key + " (" + value + "'");
            }
        });
        return problems;
    }

    /** The factory entries of a section's comments: {@code #   name: text} with its {@code #     continued} lines. */
    private static Map<String, String> entries(String conf, String section) {
        Map<String, String> entries = new LinkedHashMap<>();
        boolean inside = false;
        String current = null;
        for (String line : conf.split("\n")) {
            if (line.equals("  " + section + " {")) {
                inside = true;
                continue;
            }
            if (inside && line.equals("  }")) {
                break;
            }
            if (!inside) {
                continue;
            }
            Matcher entry = ENTRY.matcher(line);
            Matcher continued = CONTINUED.matcher(line);
            if (entry.matches()) {
                current = entry.group(1);
                entries.put(current, entry.group(2));
            } else if (continued.matches() && current != null) {
                entries.merge(current, " " + continued.group(1), String::concat);
            } else {
                current = null;
            }
        }
        return entries;
    }

    private static String applicationConf() throws IOException {
        try (InputStream in = LauncherConfig.class.getResourceAsStream("/application.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
