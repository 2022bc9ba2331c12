package io.pretrain4j.toolkit.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one way adapters read a remote service's JSON answers (the Hub, W&amp;B, a subtensor node): with
 * explicit bounds on nesting, string and number length, far above any real answer and far below what
 * would hurt. Jackson raises a limit error, which the adapter reports as a bad answer.
 */
public final class BoundedJson {
    /** Nesting deeper than this is refused. */
    public static final int MAX_DEPTH = 64;
    /** A longer string is refused (64 MiB). */
    public static final int MAX_STRING = 64 << 20;
    /** A longer number is refused. */
    public static final int MAX_NUMBER = 400;

    private BoundedJson() {}

    /** A new mapper with the bounds. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(MAX_NUMBER)
                        .build())
                .build());
    }
}
