package io.pretrain4j.app.bench;

import io.pretrain4j.launcher.cli.Failures;
import io.pretrain4j.launcher.cli.Logging;
import picocli.CommandLine;

/**
 * {@code bin/pretrain4j bench ...}: the benchmarks, in their own module so that neither they nor the
 * loopback fakes they start ship in the validator app. The launcher script starts this main class
 * for {@code bench}; commands, options and output are the ones the validator app used to carry.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        Logging.checkFileNameEncoding();
        Logging.configureLogging();
        System.exit(new CommandLine(new BenchCommand())
                .setExecutionExceptionHandler(new Failures())
                .execute(args));
    }
}
