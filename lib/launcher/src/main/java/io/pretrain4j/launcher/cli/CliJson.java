package io.pretrain4j.launcher.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How the launchers' commands print JSON: indented. */
public final class CliJson {
    public static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CliJson() {}
}
