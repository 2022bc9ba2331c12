package io.pretrain4j.app.miner;

import com.google.inject.Injector;
import io.pretrain4j.app.validator.demo.Demo;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.launcher.config.LauncherConfig;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A local subnet for miner tests: the demo's competition (id 1, gpt2, 128-token windows), a validator and named miners. */
public final class MinerSubnet {
    public final Path dir;
    public final Path config;
    public final LauncherConfig settings;
    public final PluginRegistry registry;
    public final Injector injector;
    public final Wallets wallets;
    public final Hotkey validator;

    public MinerSubnet(Path dir, String extra) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("schedule.json"), Demo.scheduleJson(128, 2), StandardCharsets.UTF_8);
        this.config = dir.resolve("subnet.conf");
        Files.writeString(
                config,
                Demo.configText(dir, 0).replace("wallet = demo-validator", "wallet = validator")
                        + "pretrain4j.miner { wallet = miner, model-dir = \""
                        + dir.resolve("local-models").toString().replace("\\", "/") + "\" }\n"
                        + extra,
                StandardCharsets.UTF_8);
        this.injector = Bootstrap.injector(Optional.of(config));
        this.settings = injector.getInstance(LauncherConfig.class);
        this.registry = injector.getInstance(PluginRegistry.class);
        this.wallets = injector.getInstance(Chains.class).wallets(Optional.empty());
        this.validator = register("validator", 100_000);
    }

    public Hotkey register(String wallet, long stakeTao) {
        Hotkey hotkey = wallets.create(wallet, "default");
        try (Chain chain = chain()) {
            ((ChainAdmin) chain).register(hotkey.ss58Address(), hotkey.ss58Address(), stakeTao * 1_000_000_000L);
        }
        return hotkey;
    }

    public Chain chain() {
        return injector.getInstance(Chains.class).chain();
    }

    void advance(long blocks) {
        try (Chain chain = chain()) {
            ((ChainAdmin) chain).advance(blocks);
        }
    }
}
