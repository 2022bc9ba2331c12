package io.pretrain4j.adapters.wandb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.ports.runlog.RunLogger.RunInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One validator run's side of W&amp;B's API, as the SDK drives it: the run upserted with the reference's
 * config, history lines posted to its {@code file_stream} at their offset (the summary the last of
 * them), and the run marked finished.
 */
final class RunStream {
    private final WandbApi api;
    private final String entity;
    private final String project;

    RunStream(WandbApi api, String entity, String project) {
        this.api = api;
        this.entity = entity;
        this.project = project;
    }

    /** Creates or resumes run {@code runId} named {@code runName}, with the config the reference logs. */
    void upsert(String runId, String runName, RunInfo run) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("uid", run.uid());
        config.put("hotkey", run.hotkey());
        config.put("run_name", runName);
        config.put("version", run.versionKey());
        config.put("validator version", run.softwareVersion());
        config.put("type", "validator");
        api.upsertRun(entity, project, runId, runName, config);
    }

    /** Posts {@code lines} as history from line {@code offset} on; the last is the run's summary. */
    void history(String runId, long offset, List<String> lines) {
        ObjectNode body = WandbHttp.MAPPER.createObjectNode();
        ObjectNode files = body.putObject("files");
        ObjectNode history = files.putObject("wandb-history.jsonl");
        history.put("offset", offset);
        lines.forEach(history.putArray("content")::add);
        ObjectNode summary = files.putObject("wandb-summary.json");
        summary.put("offset", 0);
        summary.putArray("content").add(lines.get(lines.size() - 1));
        api.http().postJson("W&B history of run " + runId, fileStream(runId), body);
    }

    /** Marks run {@code runId} finished (exit code 0). */
    void finish(String runId) {
        ObjectNode body =
                WandbHttp.MAPPER.createObjectNode().put("complete", true).put("exitcode", 0);
        api.http().postJson("W&B finishing run " + runId, fileStream(runId), body);
    }

    private URI fileStream(String runId) {
        return api.http().resolve("/files/" + entity + "/" + project + "/" + runId + "/file_stream");
    }
}
