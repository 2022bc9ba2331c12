package io.pretrain4j.launcher.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How the shared commands print JSON: indented, as the validator's commands do. */
final class CliJson {
    static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CliJson() {}
}
