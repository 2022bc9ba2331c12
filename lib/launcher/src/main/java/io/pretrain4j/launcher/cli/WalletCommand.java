package io.pretrain4j.launcher.cli;

import static io.pretrain4j.launcher.cli.CliJson.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wallet}: hotkey files in bittensor's layout. */
@Command(
        name = "wallet",
        mixinStandardHelpOptions = true,
        subcommands = {
            WalletCommand.Create.class,
            WalletCommand.Show.class,
            WalletCommand.ListAll.class,
            WalletCommand.Sign.class,
            WalletCommand.Verify.class
        },
        description = "Hotkey files in bittensor's layout (<path>/<wallet>/hotkeys/<hotkey>).")
public final class WalletCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the wallet commands. */
    static final class Where {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--wallets-path",
                paramLabel = "<dir>",
                description = "where wallets live (default: wallets.backend-config.path, "
                        + "$BT_WALLET_PATH or ~/.bittensor/wallets)")
        Path path;

        Wallets wallets() {
            return Bootstrap.injector(config.file()).getInstance(Chains.class).wallets(Optional.ofNullable(path));
        }
    }

    /** Which hotkey a command acts on. */
    static final class Which {
        @Option(names = "--name", defaultValue = "default", description = "the wallet (default ${DEFAULT-VALUE})")
        String wallet;

        @Option(names = "--hotkey", defaultValue = "default", description = "the hotkey (default ${DEFAULT-VALUE})")
        String hotkey;
    }

    static ObjectNode describe(Hotkey hotkey, String wallet, String name, Path path) {
        return JSON.createObjectNode()
                .put("wallet", wallet)
                .put("hotkey", name)
                .put("ss58Address", hotkey.ss58Address())
                .put("publicKey", "0x" + HexFormat.of().formatHex(hotkey.publicKey()))
                .put(
                        "file",
                        path.resolve(wallet).resolve("hotkeys").resolve(name).toString());
    }

    /** {@code wallet create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a hotkey (random seed, file mode 600); never overwrites one.")
    static final class Create implements Callable<Integer> {
        @Mixin
        private Where where;

        @Mixin
        private Which which;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Wallets wallets = where.wallets();
            Hotkey created = wallets.create(which.wallet, which.hotkey);
            spec.commandLine()
                    .getOut()
                    .println(JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(describe(created, which.wallet, which.hotkey, wallets.path())));
            return 0;
        }
    }

    /** {@code wallet show}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints a hotkey's address and public key (never its seed).")
    static final class Show implements Callable<Integer> {
        @Mixin
        private Where where;

        @Mixin
        private Which which;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Wallets wallets = where.wallets();
            spec.commandLine()
                    .getOut()
                    .println(JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(describe(
                                    wallets.load(which.wallet, which.hotkey),
                                    which.wallet,
                                    which.hotkey,
                                    wallets.path())));
            return 0;
        }
    }

    /** {@code wallet list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists wallet/hotkey names.")
    static final class ListAll implements Callable<Integer> {
        @Mixin
        private Where where;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ArrayNode names = JSON.createArrayNode();
            where.wallets().list().forEach(names::add);
            spec.commandLine().getOut().println(JSON.writeValueAsString(names));
            return 0;
        }
    }

    /** {@code wallet sign}. */
    @Command(
            name = "sign",
            mixinStandardHelpOptions = true,
            description =
                    "Signs a message with a hotkey (sr25519, substrate context) and prints the signature as 0x hex.")
    static final class Sign implements Callable<Integer> {
        @Mixin
        private Where where;

        @Mixin
        private Which which;

        @Option(
                names = "--message",
                required = true,
                paramLabel = "<text>",
                description = "the message (UTF-8; 0x... for hex bytes)")
        private String message;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Wallets wallets = where.wallets();
            Hotkey hotkey = wallets.load(which.wallet, which.hotkey);
            spec.commandLine().getOut().println("0x" + HexFormat.of().formatHex(wallets.sign(hotkey, bytes(message))));
            return 0;
        }
    }

    /** {@code wallet verify}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Checks a signature against an SS58 address; prints valid or invalid, exit 0 or 1.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        private Where where;

        @Option(names = "--address", required = true, paramLabel = "<ss58>", description = "the signer's address")
        private String address;

        @Option(
                names = "--message",
                required = true,
                paramLabel = "<text>",
                description = "the message (UTF-8; 0x... for hex bytes)")
        private String message;

        @Option(names = "--signature", required = true, paramLabel = "<0x hex>", description = "the 64-byte signature")
        private String signature;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Wallets wallets = where.wallets();
            if (!wallets.isValidAddress(address)) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT, "--address is not an SS58 address (checksum included)");
            }
            String hex = signature.startsWith("0x") ? signature.substring(2) : signature;
            if (!hex.matches("[0-9a-fA-F]{128}")) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT, "--signature must be 64 bytes of hex (128 hex digits)");
            }
            boolean valid =
                    wallets.verify(address, bytes(message), HexFormat.of().parseHex(hex));
            spec.commandLine().getOut().println(valid ? "valid" : "invalid");
            return valid ? 0 : 1;
        }
    }

    static byte[] bytes(String message) {
        if (message.startsWith("0x")
                && message.length() % 2 == 0
                && message.substring(2).matches("[0-9a-fA-F]*")) {
            return HexFormat.of().parseHex(message.substring(2));
        }
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
