package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Stores;
import io.pretrain4j.launcher.cli.ConfigOption;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.StoredModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code store}: the model stores (publish, fetch, usage) as configured under {@code pretrain4j.store}. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        subcommands = {StoreCommand.Publish.class, StoreCommand.Fetch.class, StoreCommand.Usage.class},
        description = "Publishes models to the remote store and fetches them into the local one (pretrain4j.store).")
public final class StoreCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static void print(CommandSpec spec, ObjectNode node) throws IOException {
        spec.commandLine()
                .getOut()
                .println(ScoreCommand.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** {@code store publish}. */
    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {
                "Uploads a model directory's model files (config.json, safetensors, tokenizer files) to the remote store and",
                "prints {\"repo\", \"commit\", \"hash\", \"secureHash\"}: what a miner commits on chain."
            })
    static final class Publish implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--dir", required = true, paramLabel = "<dir>", description = "the model directory")
        private Path dir;

        @Option(names = "--repo", required = true, paramLabel = "<ns/name>", description = "the repo to publish to")
        private String repo;

        @Option(names = "--hotkey", paramLabel = "<ss58>", description = "the miner's hotkey, to print the secure hash")
        private String hotkey;

        @Option(
                names = "--private",
                description = "keep the repo private (validators cannot download it until it is made public)")
        private boolean makePrivate;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String commit;
            try (RemoteModelStore remote =
                    Bootstrap.injector(config.file()).getInstance(Stores.class).remote()) {
                commit = remote.publish(repo, dir, makePrivate);
            }
            ObjectNode out =
                    ScoreCommand.MAPPER.createObjectNode().put("repo", repo).put("commit", commit);
            out.put("hash", ModelFiles.hash(dir));
            if (hotkey != null) {
                out.put("secureHash", ModelHashes.secureHash(out.get("hash").asText(), hotkey));
            }
            print(spec, out);
            return 0;
        }
    }

    /** {@code store fetch}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Downloads repo@commit from the remote store into the local store as a validator does (size limit",
                "before download, verified files, staging then rename) and prints {\"directory\", \"hash\", \"bytes\"}."
            })
    static final class Fetch implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--hotkey", required = true, paramLabel = "<ss58>", description = "the miner's hotkey")
        private String hotkey;

        @Option(names = "--repo", required = true, paramLabel = "<ns/name>", description = "the repo")
        private String repo;

        @Option(names = "--commit", required = true, paramLabel = "<sha>", description = "the commit (40 hex)")
        private String commit;

        @Option(
                names = "--max-bytes",
                defaultValue = "16106127360",
                paramLabel = "<n>",
                description =
                        "refuse larger repos before downloading (default ${DEFAULT-VALUE}, 15 GiB: the B3 competition's)")
        private long maxBytes;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Stores stores = Bootstrap.injector(config.file()).getInstance(Stores.class);
            StoredModel stored;
            try (RemoteModelStore remote = stores.remote()) {
                stored = stores.local().fetch(new ModelKey(hotkey, repo, commit), remote, maxBytes);
            }
            ObjectNode out = ScoreCommand.MAPPER
                    .createObjectNode()
                    .put("directory", stored.directory().toString())
                    .put("hash", stored.hash())
                    .put("secureHash", ModelHashes.secureHash(stored.hash(), hotkey))
                    .put("bytes", stored.bytes());
            print(spec, out);
            return 0;
        }
    }

    /** {@code store usage}. */
    @Command(
            name = "usage",
            mixinStandardHelpOptions = true,
            description = "Prints what the local store holds and the free space.")
    static final class Usage implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            LocalModelStore local =
                    Bootstrap.injector(config.file()).getInstance(Stores.class).local();
            LocalModelStore.DiskUsage usage = local.usage();
            print(
                    spec,
                    ScoreCommand.MAPPER
                            .createObjectNode()
                            .put("root", local.root().toString())
                            .put("models", usage.models())
                            .put("modelBytes", usage.modelBytes())
                            .put("stagingBytes", usage.stagingBytes())
                            .put("freeBytes", usage.freeBytes()));
            return 0;
        }
    }
}
