package io.pretrain4j.app.bench;

import io.pretrain4j.domain.hash.ModelHashes;
import io.pretrain4j.domain.model.SafetensorsDType;
import io.pretrain4j.formats.safetensors.SafetensorsWriter;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.plugins.host.FactoryKind;
import io.pretrain4j.plugins.host.PluginRegistry;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.StoredModel;
import io.pretrain4j.testing.fakes.FakeHub;
import io.pretrain4j.testing.fakes.FakeWandb;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench download}: a model of {@code --megabytes} published to the loopback fake Hub with the
 * {@code hf} store, then fetched by commit into a {@code disk} store (HTTP, resume bookkeeping,
 * SHA-256 verification, the directory hash, the atomic rename), and published to and downloaded
 * from the loopback fake W&amp;B with the {@code wandb} store (GraphQL lookups, MD5 verification),
 * against a plain copy of the same files measured in the same run. The hashes of the copy and the
 * fetched models are compared first.
 */
@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        description =
                "Model download MB/s through the loopback fake Hub (hf store -> disk store) and fake W&B (wandb store) vs a plain"
                        + " file copy, same run.")
final class DownloadBench implements Callable<Integer> {
    private static final String BENCH_HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    @Option(names = "--megabytes", defaultValue = "256", description = "model size in MB (default ${DEFAULT-VALUE})")
    private int megabytes;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "measured rounds, median reported (default ${DEFAULT-VALUE})")
    private int rounds;

    @Option(
            names = "--dir",
            paramLabel = "<dir>",
            description = "work directory (default: a temporary one, deleted after)")
    private Path dir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pretrain4j-bench-download");
        try {
            Path model = writeModel(work.resolve("model"), megabytes);
            long bytes = size(model);
            PluginRegistry registry = Bootstrap.injector(Optional.empty()).getInstance(PluginRegistry.class);
            try (FakeHub hub = FakeHub.start(work.resolve("hub"));
                    RemoteModelStore hf = registry.factory(FactoryKind.REMOTE_MODEL_STORE, "hf")
                            .create(Map.of("endpoint", hub.endpoint().toString(), "token", "hf_bench"));
                    FakeWandb fakeWandb = FakeWandb.start(work.resolve("wandb"));
                    RemoteModelStore wandb = registry.factory(FactoryKind.REMOTE_MODEL_STORE, "wandb")
                            .create(Map.of("base-url", fakeWandb.endpoint().toString(), "api-key", "bench"))) {
                String repo = "bench/model";
                String commit = hf.publish(repo, model, false);
                // the bench downloads without checking owners: a blank signature will do
                String wandbCommit =
                        wandb.publish(repo, model, false, PublishingKey.of(BENCH_HOTKEY, message -> new byte[64]));
                out.printf(
                        "model download: %.1f MB (config.json + model.safetensors), %d rounds, median; JDK %s, %d cores%n%n",
                        bytes / 1e6,
                        rounds,
                        Runtime.version(),
                        Runtime.getRuntime().availableProcessors());
                String expected = ModelHashes.directoryHash(model);
                double[] copy = new double[rounds];
                double[] download = new double[rounds];
                double[] fetch = new double[rounds];
                double[] wandbDownload = new double[rounds];
                for (int round = -1; round < rounds; round++) { // round -1 warms up
                    Path copyDir = work.resolve("copy-" + round);
                    long start = System.nanoTime();
                    Files.createDirectories(copyDir);
                    for (String name : new String[] {"config.json", "model.safetensors"}) {
                        Files.copy(model.resolve(name), copyDir.resolve(name));
                    }
                    double copySeconds = (System.nanoTime() - start) / 1e9;

                    Path downloadDir = work.resolve("download-" + round);
                    start = System.nanoTime();
                    hf.download(repo, commit, downloadDir, Long.MAX_VALUE);
                    double downloadSeconds = (System.nanoTime() - start) / 1e9;

                    LocalModelStore disk = registry.factory(FactoryKind.LOCAL_MODEL_STORE, "disk")
                            .create(Map.of(
                                    "root", work.resolve("store-" + round).toString()));
                    start = System.nanoTime();
                    StoredModel stored = disk.fetch(new ModelKey(BENCH_HOTKEY, repo, commit), hf, Long.MAX_VALUE);
                    double fetchSeconds = (System.nanoTime() - start) / 1e9;
                    Path wandbDir = work.resolve("wandb-" + round);
                    start = System.nanoTime();
                    wandb.download(repo, wandbCommit, wandbDir, Long.MAX_VALUE);
                    double wandbSeconds = (System.nanoTime() - start) / 1e9;
                    if (!stored.hash().equals(expected)
                            || !ModelHashes.directoryHash(downloadDir).equals(expected)
                            || !ModelHashes.directoryHash(wandbDir).equals(expected)) {
                        throw new IllegalStateException("the downloaded model's hash differs from the uploader's");
                    }
                    if (round >= 0) {
                        copy[round] = copySeconds;
                        download[round] = downloadSeconds;
                        fetch[round] = fetchSeconds;
                        wandbDownload[round] = wandbSeconds;
                    }
                    for (Path done : List.of(copyDir, downloadDir, work.resolve("store-" + round), wandbDir)) {
                        ScratchDirectory.delete(done);
                    }
                }
                double base = median(copy);
                out.printf(Locale.ROOT, "%-58s %10s %8s%n", "variant", "MB/s", "ratio");
                out.printf(
                        Locale.ROOT,
                        "%-58s %10.1f %8s%n",
                        "baseline: plain file copy (Files.copy)",
                        bytes / base / 1e6,
                        "1.00");
                out.printf(
                        "%-58s %10.1f %8.2f%n",
                        "hf download over loopback HTTP + sha256/git-oid verify",
                        bytes / median(download) / 1e6,
                        base / median(download));
                out.printf(
                        "%-58s %10.1f %8.2f%n",
                        "disk fetch: download + directory hash + atomic rename",
                        bytes / median(fetch) / 1e6,
                        base / median(fetch));
                out.printf(
                        "%-58s %10.1f %8.2f%n",
                        "wandb download over loopback HTTP + MD5 verify",
                        bytes / median(wandbDownload) / 1e6,
                        base / median(wandbDownload));
                out.printf(
                        Locale.ROOT,
                        "%nhash %s equal to the uploader's; peak RSS %d MB%n",
                        expected,
                        Memory.peakRssMegabytes());
            }
        } finally {
            if (dir == null) {
                ScratchDirectory.delete(work);
            }
        }
        return 0;
    }

    private static Path writeModel(Path dir, int megabytes) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"), "{\"architectures\": [\"GPT2LMHeadModel\"], \"model_type\": \"gpt2\"}\n");
        SplittableRandom random = new SplittableRandom(42);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        int perTensor = 4 << 20; // 16 MB of F32
        long remaining = (long) megabytes * 1_000_000 / 4;
        for (int i = 0; remaining > 0; i++) {
            int count = (int) Math.min(perTensor, remaining);
            float[] values = new float[count];
            for (int j = 0; j < count; j++) {
                values[j] = (float) random.nextGaussian();
            }
            tensors.add(new SafetensorsWriter.Tensor("weight." + i, SafetensorsDType.F32, new long[] {count}, values));
            remaining -= count;
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }
}
