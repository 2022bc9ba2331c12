package io.pretrain4j.adapters.hf.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Uploads to the Hub as huggingface_hub's commit API makes them (spec/INTERFACES.md B): create the
 * repo, preupload (upload modes; files the Hub ignores are skipped), the LFS batch with a basic PUT
 * or the multipart transfer (+ verify) for LFS files, then one NDJSON commit; and the repo's visibility.
 */
final class HubUploads {
    private static final System.Logger LOG = System.getLogger(HubUploads.class.getName());

    private final HubHttp http;

    HubUploads(HubHttp http) {
        this.http = http;
    }

    String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        ModelId.validateRepoId(repoId);
        List<Path> files = ModelFiles.publishable(repoId, modelDirectory);
        String[] parts = repoId.split("/", 2);
        createRepo(repoId, parts[0], parts[1], makePrivate);
        try {
            Map<String, Upload> uploads = new LinkedHashMap<>();
            for (Path file : files) {
                byte[] sample;
                try (InputStream in = Files.newInputStream(file)) {
                    sample = in.readNBytes(512);
                }
                uploads.put(
                        file.getFileName().toString(), new Upload(file, Files.size(file), Files2.sha256(file), sample));
            }
            Map<String, String> modes = preupload(repoId, uploads);
            uploads.keySet()
                    .retainAll(modes.keySet()); // files the Hub said to ignore are neither uploaded nor committed
            List<Upload> lfs = uploads.values().stream()
                    .filter(u -> "lfs".equals(modes.get(u.name())))
                    .toList();
            if (!lfs.isEmpty()) {
                uploadLfs(repoId, lfs);
            }
            return commit(repoId, uploads, modes);
        } catch (IOException e) {
            throw Files2.io("cannot read " + modelDirectory, e);
        }
    }

    private record Upload(Path path, long size, String sha256, byte[] sample) {
        String name() {
            return path.getFileName().toString();
        }
    }

    private void createRepo(String repoId, String namespace, String name, boolean makePrivate) {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        body.put("name", name);
        body.put("organization", namespace);
        body.put("private", makePrivate);
        body.put("visibility", makePrivate ? "private" : "public");
        HubHttp.Reply reply = http.send(
                "create repo " + repoId,
                attempt -> http.request(http.api("/api/repos/create"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
        if (reply.status() != 200 && reply.status() != 201 && reply.status() != 409) {
            throw HubHttp.failure("create repo " + repoId, reply.status(), reply.headers(), reply.body());
        }
    }

    private Map<String, String> preupload(String repoId, Map<String, Upload> uploads) {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("files");
        for (Upload upload : uploads.values()) {
            list.addObject()
                    .put("path", upload.name())
                    .put("sample", Base64.getEncoder().encodeToString(upload.sample()))
                    .put("size", upload.size());
        }
        String what = "preupload to " + repoId;
        HubHttp.Reply reply = http.send(
                what,
                attempt -> http.request(http.api("/api/models/" + repoId + "/preupload/main"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
        if (reply.status() != 200) {
            throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
        }
        Map<String, String> modes = new LinkedHashMap<>();
        Set<String> ignored = new TreeSet<>();
        for (JsonNode file : reply.json(what).path("files")) {
            String path = file.path("path").asText();
            if (file.path("shouldIgnore").asBoolean(false)) {
                // the repo's .gitignore matches it: the official clients skip such files, and so does this one
                ignored.add(path);
                continue;
            }
            modes.put(path, file.path("uploadMode").asText("regular"));
        }
        if (!ignored.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0}: the Hub ignores {1} (the repo''s .gitignore); not uploaded",
                    what,
                    ignored);
        }
        for (String name : uploads.keySet()) {
            if (!modes.containsKey(name) && !ignored.contains(name)) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": no upload mode for " + name);
            }
        }
        return modes;
    }

    private void uploadLfs(String repoId, List<Upload> lfs) throws IOException {
        ObjectNode body = HubHttp.MAPPER.createObjectNode();
        body.put("operation", "upload");
        body.putArray("transfers").add("basic").add("multipart");
        ArrayNode objects = body.putArray("objects");
        for (Upload upload : lfs) {
            objects.addObject().put("oid", upload.sha256()).put("size", upload.size());
        }
        body.put("hash_algo", "sha256");
        body.putObject("ref").put("name", "main");
        String what = "LFS batch for " + repoId;
        URI batch = http.api("/" + repoId + ".git/info/lfs/objects/batch");
        HubHttp.Reply reply = http.send(
                what,
                attempt -> http.request(batch)
                        .header("Accept", "application/vnd.git-lfs+json")
                        .header("Content-Type", "application/vnd.git-lfs+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
        if (reply.status() != 200) {
            throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
        }
        Map<String, Upload> byOid = new LinkedHashMap<>();
        lfs.forEach(upload -> byOid.put(upload.sha256(), upload));
        for (JsonNode object : reply.json(what).path("objects")) {
            Upload upload = byOid.get(object.path("oid").asText());
            if (upload == null) {
                continue;
            }
            if (object.has("error")) {
                throw new Pretrain4jException(
                        ModelStoreErrorCode.STORE_UNAVAILABLE,
                        what + ": " + upload.name() + ": "
                                + object.path("error").path("message").asText("refused"));
            }
            JsonNode actions = object.path("actions");
            JsonNode put = actions.path("upload");
            if (put.isObject()) {
                if (put.path("header").has("chunk_size")) {
                    uploadMultipart(upload, put);
                } else {
                    uploadBasic(upload, put);
                }
            }
            JsonNode verify = actions.path("verify");
            if (verify.isObject()) {
                URI href = URI.create(verify.path("href").asText());
                String payload = HubHttp.MAPPER
                        .createObjectNode()
                        .put("oid", upload.sha256())
                        .put("size", upload.size())
                        .toString();
                // as huggingface_hub's lfs_upload: a JSON POST with the Hub's own headers (the token only
                // to the Hub's origin)
                HubHttp.Reply verified = http.send(
                        "verify " + upload.name(),
                        attempt -> http.request(href)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(payload))
                                .build());
                if (verified.status() / 100 != 2) {
                    throw HubHttp.failure(
                            "verify " + upload.name(), verified.status(), verified.headers(), verified.body());
                }
            }
        }
    }

    /**
     * One PUT of the whole file to the upload href. The batch answer's {@code header} map is not sent
     * (huggingface_hub's {@code _upload_single_part} sends none; it may hold names such as {@code Host} or
     * {@code Content-Length} that an HTTP client must set itself).
     */
    private void uploadBasic(Upload upload, JsonNode put) {
        URI href = URI.create(put.path("href").asText());
        HubHttp.Reply uploaded = http.send("upload " + upload.name(), attempt -> {
            try {
                return http.request(href)
                        .PUT(HttpRequest.BodyPublishers.ofFile(upload.path()))
                        .build();
            } catch (IOException e) {
                throw Files2.io("cannot read " + upload.path(), e);
            }
        });
        if (uploaded.status() / 100 != 2) {
            throw HubHttp.failure("upload " + upload.name(), uploaded.status(), uploaded.headers(), uploaded.body());
        }
    }

    /**
     * The LFS multipart transfer (files over the storage's single-PUT limit): the header carries
     * {@code chunk_size} and one URL per part number; each part is PUT (retried on its own), then the
     * href gets {@code {"oid", "parts": [{"partNumber", "etag"}]}}.
     */
    private void uploadMultipart(Upload upload, JsonNode put) throws IOException {
        JsonNode header = put.path("header");
        long chunkSize = header.path("chunk_size").asLong(0);
        TreeMap<Integer, URI> parts = new TreeMap<>();
        header.fields().forEachRemaining(h -> {
            if (h.getKey().matches("\\d{1,5}")) {
                parts.put(Integer.parseInt(h.getKey()), URI.create(h.getValue().asText()));
            }
        });
        long expectedParts = chunkSize <= 0 ? -1 : (upload.size() + chunkSize - 1) / chunkSize;
        if (chunkSize <= 0
                || parts.size() != expectedParts
                || parts.firstKey() != 1
                || parts.lastKey() != parts.size()) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE,
                    "upload " + upload.name() + ": the Hub's multipart plan (" + parts.size() + " parts of " + chunkSize
                            + " bytes) does not fit " + upload.size() + " bytes");
        }
        ObjectNode completion = HubHttp.MAPPER.createObjectNode().put("oid", upload.sha256());
        ArrayNode etags = completion.putArray("parts");
        for (Map.Entry<Integer, URI> part : parts.entrySet()) {
            long offset = (part.getKey() - 1) * chunkSize;
            byte[] chunk = readChunk(upload.path(), offset, (int) Math.min(chunkSize, upload.size() - offset));
            String what = "upload " + upload.name() + " part " + part.getKey() + " of " + parts.size();
            HubHttp.Reply reply = http.send(
                    what,
                    attempt -> http.request(part.getValue())
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk))
                            .build());
            if (reply.status() / 100 != 2) {
                throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
            }
            String etag = reply.headers()
                    .firstValue("ETag")
                    .orElseThrow(() -> new Pretrain4jException(
                            ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": no ETag in the answer"));
            etags.addObject().put("partNumber", part.getKey()).put("etag", etag);
        }
        String payload = completion.toString();
        URI href = URI.create(put.path("href").asText());
        // huggingface_hub's LFS_HEADERS: the completion is git-lfs JSON both ways
        HubHttp.Reply done = http.send(
                "complete upload " + upload.name(),
                attempt -> http.request(href)
                        .header("Accept", "application/vnd.git-lfs+json")
                        .header("Content-Type", "application/vnd.git-lfs+json")
                        .POST(HttpRequest.BodyPublishers.ofString(payload))
                        .build());
        if (done.status() / 100 != 2) {
            throw HubHttp.failure("complete upload " + upload.name(), done.status(), done.headers(), done.body());
        }
    }

    private static byte[] readChunk(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(file + " ended before byte " + (offset + length));
                }
            }
            return buffer.array();
        }
    }

    private String commit(String repoId, Map<String, Upload> uploads, Map<String, String> modes) throws IOException {
        StringBuilder ndjson = new StringBuilder();
        ObjectNode header = HubHttp.MAPPER.createObjectNode().put("key", "header");
        header.putObject("value").put("summary", "Upload model with pretrain4j").put("description", "");
        ndjson.append(header).append('\n');
        for (Upload upload : uploads.values()) {
            ObjectNode line = HubHttp.MAPPER.createObjectNode();
            if ("lfs".equals(modes.get(upload.name()))) {
                line.put("key", "lfsFile")
                        .putObject("value")
                        .put("path", upload.name())
                        .put("algo", "sha256")
                        .put("oid", upload.sha256())
                        .put("size", upload.size());
            } else {
                line.put("key", "file")
                        .putObject("value")
                        .put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(upload.path())))
                        .put("path", upload.name())
                        .put("encoding", "base64");
            }
            ndjson.append(line).append('\n');
        }
        String what = "commit to " + repoId;
        String payload = ndjson.toString();
        HubHttp.Reply reply = http.send(
                what,
                attempt -> http.request(http.api("/api/models/" + repoId + "/commit/main"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                        .build());
        if (reply.status() != 200 && reply.status() != 201) {
            throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
        }
        String oid = reply.json(what).path("commitOid").asText("");
        if (!oid.matches("[0-9a-f]{40}")) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": the Hub returned no commit id");
        }
        LOG.log(System.Logger.Level.INFO, "published {0}: commit {1} ({2} files)", repoId, oid, uploads.size());
        return oid;
    }

    void setPrivate(String repoId, boolean makePrivate) {
        ModelId.validateRepoId(repoId);
        String payload =
                HubHttp.MAPPER.createObjectNode().put("private", makePrivate).toString();
        String what = "visibility of " + repoId;
        HubHttp.Reply reply = http.send(
                what,
                attempt -> http.request(http.api("/api/models/" + repoId + "/settings"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(payload))
                        .build());
        if (reply.status() != 200) {
            throw HubHttp.failure(what, reply.status(), reply.headers(), reply.body());
        }
    }
}
