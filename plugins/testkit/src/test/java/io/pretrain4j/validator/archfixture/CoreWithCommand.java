package io.pretrain4j.validator.archfixture;

import picocli.CommandLine.Command;

/** Violates "the validator core is framework-free": a loop class that is also a command. */
@Command(name = "loop")
public final class CoreWithCommand implements Runnable {
    @Override
    public void run() {}
}
