package io.pretrain4j.adapters.dataset.hfrows;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.Secrets;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.toolkit.config.FactoryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code hf-rows} dataset's settings, read once from its keys: {@code preset} (one of the reference's
 * datasets: FALCON, FINEWEB, FINEWEB2, PES2OX, FINEMATH3P, WEBMATH3P, STACK1) or the layout itself
 * ({@code dataset}, {@code style}: {@code offsets} or {@code configs}, {@code config}, {@code split},
 * {@code max-offset}), {@code rows-per-page}, {@code text-field}; the connection: {@code endpoint},
 * {@code token} (the launchers pass {@code $HF_TOKEN} when it is set), {@code requires-auth},
 * {@code timeout}, {@code attempts}, {@code retry-delay} (doubled per retry), {@code max-retry-delay},
 * {@code max-body-bytes}. A preset's layout is its own default; the other defaults are {@link #DEFAULTS}.
 *
 * @param layout where the rows are and how pages are drawn
 * @param server the datasets-server connection
 */
public record HfRowsConfig(HfRowsDataset.Layout layout, DatasetsServerClient.ServerConfig server) {
    /** Every default that does not come from a preset, as written in configuration. */
    public static final Map<String, String> DEFAULTS = FactoryConfig.defaults(
            "split", "train",
            "rows-per-page", "50",
            "endpoint", HfRowsDatasetFactory.DEFAULT_ENDPOINT,
            "timeout", "15s",
            "attempts", "15",
            "retry-delay", "5s",
            "max-retry-delay", "60s",
            "max-body-bytes", "67108864");

    /** Reads and checks {@code values}, listing every problem at once. */
    public static HfRowsConfig from(Map<String, String> values) {
        FactoryConfig settings =
                new FactoryConfig(HfRowsDatasetFactory.NAME, values, DEFAULTS, HfRowsDatasetFactory.KEYS);
        Optional<Preset> preset = Optional.empty();
        Optional<String> presetName = settings.optional("preset");
        if (presetName.isPresent()) {
            String name = presetName.get().toUpperCase(Locale.ROOT);
            if (name.equals("STACK2")) {
                settings.problem(
                        "preset STACK2 (the-stack-v2-dedup) reads file contents from Software Heritage's S3 bucket, "
                                + "which pretrain4j does not implement; give its task's weight to the other datasets");
            } else {
                preset = Preset.byName(name);
                if (preset.isEmpty()) {
                    settings.problem("preset '" + presetName.get() + "' is not one of " + Preset.names());
                }
            }
        }
        String dataset = settings.string("dataset", preset.map(p -> p.dataset).orElse(null));
        if (dataset == null && presetName.isEmpty()) {
            settings.problem("give either 'preset' (" + Preset.names() + ") or 'dataset'");
        }
        Preset.Style style = Preset.Style.OFFSETS;
        String styleText =
                settings.string("style", preset.map(p -> p.style.name()).orElse("offsets"));
        try {
            style = Preset.Style.valueOf(styleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            settings.problem("style '" + styleText + "' must be offsets or configs");
        }
        String configName = settings.string(
                "config", preset.map(p -> p.config).filter(c -> c != null).orElse("default"));
        String split = settings.string("split");
        long maxOffset =
                settings.integer("max-offset", preset.map(p -> p.maxPages).orElse(0L), 0, Long.MAX_VALUE / 2);
        if (style == Preset.Style.OFFSETS && maxOffset < 1 && !presetName.isPresent() && dataset != null) {
            settings.problem(
                    "style offsets needs 'max-offset' (the largest row offset to draw, the reference's max_pages)");
        }
        int rowsPerPage = (int) settings.integer("rows-per-page", 1, 100);
        List<String> fields = settings.optional("text-field")
                .map(List::of)
                .orElse(style == Preset.Style.CONFIGS ? List.of("text") : List.of("text", "content"));
        URI endpoint = URI.create(HfRowsDatasetFactory.DEFAULT_ENDPOINT);
        String endpointText = settings.string("endpoint");
        try {
            endpoint = URI.create(endpointText);
            if (!List.of("http", "https").contains(String.valueOf(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                settings.problem("endpoint '" + endpointText + "' must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            settings.problem("endpoint '" + endpointText + "' is not a URL");
        }
        Optional<String> token = settings.optional("token").filter(t -> !t.isBlank());
        token.ifPresent(t -> Secrets.register(t, "Bearer " + t));
        boolean requiresAuth =
                settings.bool("requires-auth", preset.map(p -> p.requiresAuth).orElse(false));
        if (requiresAuth && token.isEmpty()) {
            settings.problem((dataset == null ? "this dataset" : dataset)
                    + " requires a Hugging Face token: set 'token' or HF_TOKEN");
        }
        Duration timeout = settings.duration("timeout", Duration.ofMillis(10), Duration.ofMinutes(10));
        int attempts = (int) settings.integer("attempts", 1, 1000);
        Duration retryDelay = settings.duration("retry-delay", Duration.ZERO, Duration.ofMinutes(10));
        Duration maxRetryDelay = settings.duration("max-retry-delay", Duration.ZERO, Duration.ofHours(1));
        long maxBodyBytes = settings.integer("max-body-bytes", 1024, 1L << 30);
        settings.done();
        if (dataset == null) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, HfRowsDatasetFactory.NAME + ": no dataset");
        }
        return new HfRowsConfig(
                new HfRowsDataset.Layout(dataset, style, configName, split, maxOffset, rowsPerPage, fields),
                new DatasetsServerClient.ServerConfig(
                        endpoint, token, timeout, attempts, retryDelay, maxRetryDelay, maxBodyBytes));
    }
}
