package io.pretrain4j.app.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pretrain4j.domain.model.ModelSpec;
import io.pretrain4j.formats.safetensors.SyntheticModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the validator app the way {@code bin/pretrain4j} does, as a named module on the module path
 * in a fresh JVM, so missing {@code opens}, {@code requires} or {@code provides} clauses fail here
 * and not in an operator's terminal (in-process tests run on the class path, where they are ignored).
 */
class ModulePathLaunchIT {

    @Test
    void scoresOnTheModulePath() throws Exception {
        Launch launch = launch("score", "--input", "-");
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output()).contains("\"competitiveUids\" : [ 1 ]");
    }

    @Test
    void listsPluginsFromModulesOnTheModulePath() throws Exception {
        Launch launch = launch("plugins");
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output())
                .contains("builtin  [io.pretrain4j.plugins.host.BuiltinPlugin, module io.pretrain4j.plugins.host]");
    }

    @Test
    void evaluatesAModelWithPyTorchOnTheModulePath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = SyntheticModels.write(dir.resolve("m"), ModelSpec.llama(128, 32, 1, 4, 2, 64, 16));
        Path windows = dir.resolve("w.json");
        java.nio.file.Files.writeString(windows, "{\"windows\": [[1, 2, 3, 4]]}");
        Launch launch = launch("eval-loss", "--model", model.toString(), "--windows", windows.toString());
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output())
                .contains("\"architecture\" : \"LlamaForCausalLM\"", "\"losses\" : [ ")
                .doesNotContain("SLF4J(W)");
    }

    @Test
    void samplesTheShippedCorpusWithJTokkitOnTheModulePath() throws Exception {
        // the corpus is a resource of a named module and JTokkit an automatic one: both must resolve there too
        Launch launch = launch("dataset", "sample", "--seed", "42", "--pages", "3", "--tokenizer", "Xenova/gpt-4");
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output())
                .contains(
                        "\"pages\" : [ \"default_163_train\", \"default_28_train\", \"default_6_train\" ]",
                        "\"tokenizer\" : \"Xenova/gpt-4\"");
    }

    @Test
    void publishesAndFetchesAModelOnTheModulePath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = io.pretrain4j.plugins.testkit.store.TestModels.write(dir.resolve("model"), 1);
        Path config = dir.resolve("v.conf");
        java.nio.file.Files.writeString(
                config,
                "pretrain4j.store { local-config { root = \"" + dir.resolve("store") + "\" }, remote-config { root = \""
                        + dir.resolve("hub") + "\" } }\n");
        Launch publish = launch(
                "store",
                "publish",
                "--config",
                config.toString(),
                "--dir",
                model.toString(),
                "--repo",
                "miner/module-path");
        assertThat(publish.exitCode()).as(publish.output()).isZero();
        String commit = publish.output().replaceAll("(?s).*\"commit\" : \"([0-9a-f]{40})\".*", "$1");
        Launch fetch = launch(
                "store",
                "fetch",
                "--config",
                config.toString(),
                "--hotkey",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                "--repo",
                "miner/module-path",
                "--commit",
                commit);
        assertThat(fetch.exitCode()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("snapshots/" + commit);
    }

    @Test
    void evaluatesAModelWithOnnxRuntimeOnTheModulePath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = SyntheticModels.write(dir.resolve("m"), ModelSpec.gpt2(128, 32, 1, 4, 16));
        Path windows = dir.resolve("w.json");
        java.nio.file.Files.writeString(windows, "{\"windows\": [[1, 2, 3, 4]]}");
        Launch launch = launch(
                "eval-loss", "--model", model.toString(), "--windows", windows.toString(), "--backend", "onnx-runtime");
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output()).contains("\"architecture\" : \"GPT2LMHeadModel\"", "\"losses\" : [ ");
    }

    @Test
    void loadsADropInPluginIntoItsOwnModuleLayer(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path plugins = java.nio.file.Files.createDirectories(dir.resolve("plugins"));
        java.nio.file.Files.copy(
                io.pretrain4j.app.validator.plugins.PluginJars.example(dir), plugins.resolve("sn25.jar"));
        Path config = dir.resolve("v.conf");
        java.nio.file.Files.writeString(config, "pretrain4j.plugins.dir = \"" + plugins + "\"\n");
        Launch launch = launch("plugins", "--config", config.toString());
        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output())
                .contains(
                        "example-sn25  [com.example.pretrain4j.sn25.Sn25Plugin, drop-in sn25.jar (module layer: "
                                + "com.example.pretrain4j.sn25)]",
                        "scoring policy: subnet-25");
    }

    @Test
    void badInputExitsTwoOnTheModulePathToo() throws Exception {
        Launch launch = launch("hash", "/nonexistent-model-dir");
        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(launch.output().strip()).isEqualTo("error: /nonexistent-model-dir is not a directory");
    }

    private record Launch(int exitCode, String output) {}

    private static Launch launch(String... args) throws IOException, InterruptedException {
        Process process = AppProcess.builder(args).redirectErrorStream(true).start();
        process.getOutputStream().write("""
                {"currentBlock": 10, "temperature": 0.01, "epsilon": {"kind": "fixed", "value": 0.005},
                 "models": [{"uid": 1, "score": 2.0, "block": 1}]}""".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Launch(process.exitValue(), output);
    }
}
