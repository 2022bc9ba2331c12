package io.pretrain4j.adapters.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The W&amp;B GraphQL operations pretrain4j uses (INTERFACES.md C): {@code Runs} with a Mongo-style
 * filter and paging, {@code RunFiles} with paging, {@code UpsertBucket} and {@code CreateRunFiles}.
 * Answers are read defensively: a page that repeats its cursor or exceeds the configured count
 * ends the listing instead of looping.
 */
final class WandbApi {
    static final String RUN_FRAGMENT =
            "fragment RunFragment on Run { id name displayName state config createdAt heartbeatAt"
                    + " description notes tags }";

    static final String RUNS = "query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50,"
            + " $order: String, $filters: JSONString) { project(name: $project, entityName: $entity) { runCount(filters: $filters)"
            + " readOnly runs(filters: $filters, after: $cursor, first: $perPage, order: $order) { edges { node { ...RunFragment }"
            + " cursor } pageInfo { endCursor hasNextPage } } } } " + RUN_FRAGMENT;

    static final String RUN_FILES =
            "query RunFiles($project: String!, $entity: String!, $name: String!, $fileCursor: String,"
                    + " $fileLimit: Int = 50, $fileNames: [String] = [], $upload: Boolean = false) { project(name: $project,"
                    + " entityName: $entity) { run(name: $name) { fileCount files(names: $fileNames, after: $fileCursor, first: $fileLimit)"
                    + " { edges { node { id name url(upload: $upload) directUrl sizeBytes mimetype updatedAt md5 } cursor }"
                    + " pageInfo { endCursor hasNextPage } } } } }";

    static final String UPSERT_BUCKET =
            "mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String,"
                    + " $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String,"
                    + " $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String,"
                    + " $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) { upsertBucket(input: { id: $id,"
                    + " name: $name, groupName: $groupName, modelName: $project, entityName: $entity, description: $description,"
                    + " displayName: $displayName, notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug,"
                    + " jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, sweep: $sweep, tags: $tags,"
                    + " summaryMetrics: $summaryMetrics }) { bucket { id name displayName description config sweepName"
                    + " project { id name entity { id name } } historyLineCount } inserted } }";

    static final String CREATE_RUN_FILES = "mutation CreateRunFiles($entity: String!, $project: String!, $run: String!,"
            + " $files: [String!]!) { createRunFiles(input: { entityName: $entity, projectName: $project, runName: $run,"
            + " files: $files }) { runID uploadHeaders files { name uploadUrl } } }";

    /**
     * A run as the API lists it.
     *
     * @param storageId the node id
     * @param name the run id (8 characters for runs the SDK creates), which miners sign
     * @param displayName the run's display name
     * @param config the config with W&amp;B's {@code {"value": ...}} wrappers removed
     * @param createdAt creation time (UTC)
     * @param heartbeatAt the last heartbeat (UTC)
     * @param state e.g. {@code running}, {@code finished}
     */
    record Run(
            String storageId,
            String name,
            String displayName,
            Map<String, JsonNode> config,
            Optional<Instant> createdAt,
            Optional<Instant> heartbeatAt,
            String state) {
        Optional<String> configString(String key) {
            JsonNode value = config.get(key);
            return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
        }
    }

    /**
     * A run file.
     *
     * @param name its name in the run
     * @param url where to GET it
     * @param size its size in bytes
     * @param md5 base64 of its MD5, as W&amp;B announces it
     * @param updatedAt when it was last written (UTC)
     */
    record RunFile(String name, Optional<URI> url, long size, Optional<String> md5, Optional<Instant> updatedAt) {}

    /** Where to PUT each file of a run, and the headers to send. */
    record Uploads(Map<String, URI> urls, List<String> headers) {}

    /** The characters of run ids the SDK generates. */
    static final String RUN_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WandbHttp http;
    private final int maxListed;

    WandbApi(WandbHttp http, int maxListed) {
        this.http = http;
        this.maxListed = maxListed;
    }

    WandbHttp http() {
        return http;
    }

    /** The project's runs matching {@code filters} (a Mongo-style query), newest first, at most the configured count. */
    List<Run> runs(String entity, String project, ObjectNode filters) {
        String what = "W&B runs of " + entity + "/" + project;
        List<Run> runs = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        while (true) {
            ObjectNode variables = WandbHttp.MAPPER
                    .createObjectNode()
                    .put("project", project)
                    .put("entity", entity)
                    .put("perPage", 50)
                    .put("order", "-created_at")
                    .put("filters", filters.toString());
            if (cursor != null) {
                variables.put("cursor", cursor);
            } else {
                variables.putNull("cursor");
            }
            JsonNode projectNode = http.graphql(what, RUNS, variables).path("project");
            if (projectNode.isNull() || projectNode.isMissingNode()) {
                return runs;
            }
            JsonNode page = projectNode.path("runs");
            for (JsonNode edge : page.path("edges")) {
                runs.add(run(edge.path("node")));
                if (runs.size() >= maxListed) {
                    return runs;
                }
            }
            JsonNode info = page.path("pageInfo");
            String next = info.path("endCursor").asText(null);
            if (!info.path("hasNextPage").asBoolean(false) || next == null || !cursors.add(next)) {
                return runs;
            }
            cursor = next;
        }
    }

    /** The run's files, all pages (at most the configured count); empty when the run does not exist. */
    Optional<List<RunFile>> files(String entity, String project, String runName) {
        String what = "W&B files of run " + entity + "/" + project + "/" + runName;
        List<RunFile> files = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        while (true) {
            ObjectNode variables = WandbHttp.MAPPER
                    .createObjectNode()
                    .put("project", project)
                    .put("entity", entity)
                    .put("name", runName)
                    .put("fileLimit", 50);
            if (cursor != null) {
                variables.put("fileCursor", cursor);
            }
            JsonNode run =
                    http.graphql(what, RUN_FILES, variables).path("project").path("run");
            if (!run.isObject()) {
                return Optional.empty();
            }
            JsonNode page = run.path("files");
            for (JsonNode edge : page.path("edges")) {
                JsonNode node = edge.path("node");
                String name = node.path("name").asText("");
                Optional<URI> url =
                        Optional.ofNullable(node.path("url").asText(null)).flatMap(WandbApi::uri);
                long size = node.path("sizeBytes").asLong(-1);
                files.add(new RunFile(
                        name,
                        url,
                        size,
                        Optional.ofNullable(node.path("md5").asText(null)),
                        WandbTime.parse(node.path("updatedAt").asText(null))));
                if (files.size() >= maxListed) {
                    return Optional.of(files);
                }
            }
            JsonNode info = page.path("pageInfo");
            String next = info.path("endCursor").asText(null);
            if (!info.path("hasNextPage").asBoolean(false) || next == null || !cursors.add(next)) {
                return Optional.of(files);
            }
            cursor = next;
        }
    }

    /** {@code length} random characters of {@code alphabet} (run ids, display-name suffixes). */
    static String randomId(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Creates or updates a run; {@code config} holds plain values, wrapped here as W&amp;B stores them. */
    void upsertRun(String entity, String project, String runName, String displayName, Map<String, Object> config) {
        ObjectNode wrapped = WandbHttp.MAPPER.createObjectNode();
        config.forEach((key, value) -> wrapped.putObject(key).set("value", WandbHttp.MAPPER.valueToTree(value)));
        ObjectNode variables = WandbHttp.MAPPER
                .createObjectNode()
                .put("entity", entity)
                .put("project", project)
                .put("name", runName)
                .put("displayName", displayName)
                .put("config", wrapped.toString());
        JsonNode bucket = http.graphql(
                        "W&B run creation " + entity + "/" + project + "/" + runName, UPSERT_BUCKET, variables)
                .path("upsertBucket")
                .path("bucket");
        if (!bucket.isObject()) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE,
                    "W&B did not create run " + entity + "/" + project + "/" + runName + ": the answer has no bucket");
        }
    }

    /** Upload URLs for files of a run. */
    Uploads createRunFiles(String entity, String project, String runName, List<String> names) {
        ObjectNode variables = WandbHttp.MAPPER
                .createObjectNode()
                .put("entity", entity)
                .put("project", project)
                .put("run", runName);
        names.forEach(variables.putArray("files")::add);
        String what = "W&B upload URLs for run " + entity + "/" + project + "/" + runName;
        JsonNode created = http.graphql(what, CREATE_RUN_FILES, variables).path("createRunFiles");
        Map<String, URI> urls = new LinkedHashMap<>();
        for (JsonNode file : created.path("files")) {
            uri(file.path("uploadUrl").asText(""))
                    .ifPresent(url -> urls.put(file.path("name").asText(""), url));
        }
        for (String name : names) {
            if (!urls.containsKey(name)) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": no upload URL for " + name);
            }
        }
        List<String> headers = new ArrayList<>();
        created.path("uploadHeaders").forEach(header -> headers.add(header.asText("")));
        return new Uploads(urls, headers);
    }

    static Run run(JsonNode node) {
        Map<String, JsonNode> config = new LinkedHashMap<>();
        JsonNode raw = node.path("config");
        JsonNode parsed = null;
        if (raw.isTextual()) {
            try {
                parsed = WandbHttp.MAPPER.readTree(raw.textValue());
            } catch (IOException e) {
                parsed = null;
            }
        } else if (raw.isObject()) {
            parsed = raw;
        }
        if (parsed != null && parsed.isObject()) {
            parsed.properties().forEach(entry -> {
                if (!entry.getKey().equals("_wandb") && !entry.getKey().equals("wandb_version")) {
                    JsonNode value = entry.getValue();
                    config.put(entry.getKey(), value.isObject() && value.has("value") ? value.get("value") : value);
                }
            });
        }
        return new Run(
                node.path("id").asText(""),
                node.path("name").asText(""),
                node.path("displayName").asText(""),
                config,
                WandbTime.parse(node.path("createdAt").asText(null)),
                WandbTime.parse(node.path("heartbeatAt").asText(null)),
                node.path("state").asText(""));
    }

    static Optional<URI> uri(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(text);
            return "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())
                    ? Optional.of(uri)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
