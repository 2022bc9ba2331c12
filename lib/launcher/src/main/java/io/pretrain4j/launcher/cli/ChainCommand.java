package io.pretrain4j.launcher.cli;

import static io.pretrain4j.launcher.cli.CliJson.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.DomainErrorCode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.launcher.Bootstrap;
import io.pretrain4j.launcher.Chains;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.ChainAdmin;
import io.pretrain4j.ports.chain.Commitment;
import io.pretrain4j.ports.chain.Metagraph;
import io.pretrain4j.ports.chain.Neuron;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chain}: the configured chain (registration and blocks on a development chain, status on any). */
@Command(
        name = "chain",
        mixinStandardHelpOptions = true,
        subcommands = {ChainCommand.Status.class, ChainCommand.Register.class, ChainCommand.Advance.class},
        description = "The configured chain (pretrain4j.chain): status; register and advance on the local chain.")
public final class ChainCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static ChainAdmin admin(Chain chain) {
        if (chain instanceof ChainAdmin admin) {
            return admin;
        }
        throw new Pretrain4jException(
                DomainErrorCode.INVALID_ARGUMENT, chain.id() + " is a real chain: register and stake with btcli");
    }

    /** {@code chain status}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Prints the block, its hash, the neurons and the commitments.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (Chain chain =
                    Bootstrap.injector(config.file()).getInstance(Chains.class).chain()) {
                Metagraph metagraph = chain.metagraph();
                ObjectNode out = JSON.createObjectNode()
                        .put("chain", chain.id())
                        .put("block", metagraph.block())
                        .put("blockHash", chain.blockHash(metagraph.block()));
                ArrayNode neurons = out.putArray("neurons");
                Map<String, Commitment> commitments = new TreeMap<>(chain.commitments());
                for (Neuron neuron : metagraph.neurons()) {
                    ObjectNode node = neurons.addObject()
                            .put("uid", neuron.uid())
                            .put("hotkey", neuron.hotkey())
                            .put(
                                    "stakeTao",
                                    BigDecimal.valueOf(neuron.stakeRao(), 9)
                                            .stripTrailingZeros()
                                            .toPlainString())
                            .put("validatorPermit", neuron.validatorPermit())
                            .put("lastUpdate", neuron.lastUpdate());
                    Commitment commitment = commitments.get(neuron.hotkey());
                    if (commitment != null) {
                        node.put("commitment", commitment.data()).put("commitBlock", commitment.block());
                    }
                }
                spec.commandLine()
                        .getOut()
                        .println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            }
            return 0;
        }
    }

    /** {@code chain register}. */
    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "Registers a hotkey on the local chain (again: updates its stake).")
    static final class Register implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Who who;

        static final class Who {
            @Option(names = "--hotkey-address", paramLabel = "<ss58>", description = "the hotkey's SS58 address")
            String address;

            @ArgGroup(exclusive = false)
            FromWallet wallet;
        }

        static final class FromWallet {
            @Option(names = "--wallet", required = true, paramLabel = "<name>", description = "a wallet ...")
            String name;

            @Option(names = "--hotkey", required = true, paramLabel = "<name>", description = "... and its hotkey")
            String hotkey;

            @Option(names = "--wallets-path", paramLabel = "<dir>", description = "where wallets live")
            Path path;
        }

        @Option(
                names = "--stake",
                defaultValue = "0",
                paramLabel = "<TAO>",
                description = "stake in TAO (validators need stake for a permit; default ${DEFAULT-VALUE})")
        private BigDecimal stake;

        @Option(
                names = "--coldkey",
                defaultValue = "",
                paramLabel = "<ss58>",
                description = "the owning coldkey's address (default: the wallet's coldkeypub.txt)")
        private String coldkey;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Chains chains = Bootstrap.injector(config.file()).getInstance(Chains.class);
            String address = who.address != null
                    ? who.address
                    : chains.wallets(Optional.ofNullable(who.wallet.path))
                            .load(who.wallet.name, who.wallet.hotkey)
                            .ss58Address();
            String owner = coldkey;
            if (owner.isEmpty() && who.address == null) {
                // the wallet's coldkeypub.txt, as btcli registers with the wallet's coldkey
                owner = chains.wallets(Optional.ofNullable(who.wallet.path))
                        .coldkeyAddress(who.wallet.name)
                        .orElse("");
            }
            long rao;
            try {
                rao = stake.movePointRight(9).longValueExact();
            } catch (ArithmeticException e) {
                throw new Pretrain4jException(
                        DomainErrorCode.INVALID_ARGUMENT, "--stake " + stake + " is not a whole number of rao");
            }
            try (Chain chain = chains.chain()) {
                int uid = admin(chain).register(address, owner, rao);
                spec.commandLine()
                        .getOut()
                        .println(JSON.writeValueAsString(JSON.createObjectNode()
                                .put("hotkey", address)
                                .put("uid", uid)
                                .put("block", chain.currentBlock())));
            }
            return 0;
        }
    }

    /** {@code chain advance}. */
    @Command(
            name = "advance",
            mixinStandardHelpOptions = true,
            description = "Moves the local chain forward by some blocks now.")
    static final class Advance implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--blocks", defaultValue = "1", description = "blocks (default ${DEFAULT-VALUE})")
        private long blocks;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (Chain chain =
                    Bootstrap.injector(config.file()).getInstance(Chains.class).chain()) {
                long block = admin(chain).advance(blocks);
                spec.commandLine()
                        .getOut()
                        .println(JSON.writeValueAsString(JSON.createObjectNode().put("block", block)));
            }
            return 0;
        }
    }
}
