package io.pretrain4j.adapters.beta.archfixture;

/** A second adapter. */
public final class BetaAdapter {}
