package io.pretrain4j.app.validator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.hash.ModelHashes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hash <model-dir> [--hotkey <ss58>]}: the model hash and secure hash as the reference computes them. */
@Command(
        name = "hash",
        mixinStandardHelpOptions = true,
        description = {
            "Prints {\"hash\", \"secureHash\"} of a model directory, as the reference computes them:",
            "hash = b64(sha256 over the b64 sha256 of each file, sorted walk, names not hashed);",
            "secureHash = b64(sha256(hash + hotkey)), printed when --hotkey is given."
        })
public final class HashCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<model-dir>", description = "the model's snapshot directory")
    private Path directory;

    @Option(names = "--hotkey", paramLabel = "<ss58>", description = "the miner's hotkey SS58 address")
    private String hotkey;

    @Spec
    private CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new Pretrain4jException(DomainErrorCode.INVALID_ARGUMENT, directory + " is not a directory");
        }
        if (hotkey != null && !hotkey.matches("[1-9A-HJ-NP-Za-km-z]{46,48}")) {
            throw new Pretrain4jException(
                    DomainErrorCode.INVALID_ARGUMENT,
                    "--hotkey '" + hotkey + "' is not an SS58 address (46-48 base58 characters)");
        }
        String hash = ModelHashes.directoryHash(directory);
        ObjectNode root = ScoreCommand.MAPPER.createObjectNode();
        root.put("hash", hash);
        if (hotkey != null) {
            root.put("secureHash", ModelHashes.secureHash(hash, hotkey));
        }
        out().println(ScoreCommand.MAPPER.writeValueAsString(root));
        return 0;
    }
}
