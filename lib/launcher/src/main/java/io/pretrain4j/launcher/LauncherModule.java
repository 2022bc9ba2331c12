package io.pretrain4j.launcher;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.formats.schedule.ScheduleFiles;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.scoring.ScoringPolicyFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's part of the object graph: the shared configuration, the factories by kind and name
 * ({@link FactoriesModule}), and what is chosen from them by configuration (the scoring policy, the
 * schedule, {@link Chains}, {@link Stores}, {@link Data}, {@link Engines}).
 */
public final class LauncherModule extends AbstractModule {
    private final LauncherConfig config;
    private final PluginRegistry registry;

    public LauncherModule(LauncherConfig config, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    protected void configure() {
        bind(LauncherConfig.class).toInstance(config);
        install(new FactoriesModule(registry));
        bind(Chains.class).in(Scopes.SINGLETON);
        bind(Stores.class).in(Scopes.SINGLETON);
        bind(Data.class).in(Scopes.SINGLETON);
        bind(Engines.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    ScoringPolicy scoringPolicy(Map<String, ScoringPolicyFactory> policies) {
        return FactoriesModule.choose(FactoryKind.SCORING_POLICY, policies, config.scoringPolicy())
                .create(config.policyConfig());
    }

    @Provides
    @Singleton
    CompetitionSchedule schedule() {
        if (config.schedule().equals("sn9")) {
            return ScheduleFiles.sn9();
        }
        Path path = Path.of(config.schedule());
        try {
            return ScheduleFiles.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "Cannot read schedule file " + path + ": " + e, e);
        }
    }
}
