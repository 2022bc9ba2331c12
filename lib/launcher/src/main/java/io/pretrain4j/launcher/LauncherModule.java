package io.pretrain4j.launcher;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pretrain4j.launcher.config.ValidatorConfig;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.plugins.host.PluginRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Binds the configuration, the plugin registry and what is chosen from it by name. */
public final class LauncherModule extends AbstractModule {
    private final ValidatorConfig config;
    private final PluginRegistry registry;

    public LauncherModule(ValidatorConfig config, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    protected void configure() {
        bind(ValidatorConfig.class).toInstance(config);
        bind(PluginRegistry.class).toInstance(registry);
    }

    @Provides
    @Singleton
    ScoringPolicy scoringPolicy() {
        return registry.factory(FactoryKind.SCORING_POLICY, config.scoringPolicy()).create(config.policyConfig());
    }

    @Provides
    @Singleton
    CompetitionSchedule schedule() {
        if (config.schedule().equals("sn9")) {
            return CompetitionSchedule.sn9();
        }
        Path path = Path.of(config.schedule());
        try {
            return CompetitionSchedule.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "Cannot read schedule file " + path + ": " + e, e);
        }
    }
}
