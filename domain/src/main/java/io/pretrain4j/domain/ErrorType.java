package io.pretrain4j.domain;

/** Who is at fault when something fails, as in Trino's error types. */
public enum ErrorType {
    /** The input given by an operator, a miner or a chain entry is wrong. */
    USER,
    /** Something outside the process failed: a file system, a remote service. */
    EXTERNAL,
    /** A bug in pretrain4j. */
    INTERNAL
}
