package io.pretrain4j.adapters.beta.archfixture;

/** Violates "only apps write to stdout". */
public final class Printer {
    public void print() {
        System.out.println("hello");
    }
}
