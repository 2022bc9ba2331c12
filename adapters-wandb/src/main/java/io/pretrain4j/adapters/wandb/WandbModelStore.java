package io.pretrain4j.adapters.wandb;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.adapters.wandb.WandbApi.Run;
import io.pretrain4j.adapters.wandb.WandbApi.RunFile;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelKey;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.OwnerSignature;
import io.pretrain4j.ports.store.PublishingKey;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code wandb}: models as files of W&amp;B runs, as the pretraining subnet's first version kept
 * them (INTERFACES.md C), behind the same port as the Hub.
 *
 * <p>How the port maps onto W&amp;B. A repo id {@code <entity>/<model name>} names an entity (where
 * miners log their runs) and a model; the project is the store's ({@code pretraining-subnet} by
 * default). Each {@link #publish} creates a new run whose id is 8 random characters, as the SDK's
 * are; its config holds the reference's miner fields ({@code hotkey}, {@code run_name},
 * {@code version}, {@code type = miner}, {@code signature}: the hotkey's sr25519 signature of the
 * run id, in hex) and pretrain4j's {@code model_name} and {@code model_commit}. The commit is a
 * content address, the SHA-1 of the model files' names, sizes and MD5s ({@link Manifest}), so a run
 * whose files are changed after the commit no longer matches it, and older versions stay
 * downloadable from their own runs.
 *
 * <p>{@link #info} finds runs with the {@code Runs} query (a Mongo-style filter on
 * {@code config.type}, {@code config.model_name}, {@code config.model_commit} and, for a committed
 * model, {@code config.hotkey}; newest first, paged), lists their files, and returns the first run
 * whose files match the commit, with the run's {@link OwnerSignature} for the validator to verify.
 * Downloads GET each file's URL (Basic auth on the API's origin only), resume cut transfers with
 * {@code Range}, and check size and MD5 before a file takes its name.
 */
final class WandbModelStore implements RemoteModelStore {
    private static final System.Logger LOG = System.getLogger(WandbModelStore.class.getName());
    /** Weights in other formats (the first subnet version's model.pth and model.safe): listed so a refusal can name them. */
    private static final Pattern WEIGHT_LIKE = Pattern.compile("[^/]+\\.(bin|pt|pth|safe)");

    private static final String NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final WandbApi api;
    private final String project;
    private final String version;
    private final RunFileDownloads downloads;

    WandbModelStore(WandbApi api, String project, String version) {
        this.api = requireNonNull(api, "api is null");
        this.project = requireNonNull(project, "project is null");
        this.version = requireNonNull(version, "version is null");
        this.downloads = new RunFileDownloads(api);
    }

    @Override
    public String id() {
        return "wandb:" + api.http().settings.endpoint() + " (project " + project + ")";
    }

    @Override
    public boolean signsModels() {
        return true;
    }

    @Override
    public RemoteModel info(String repoId, String commit) {
        return find(repoId, commit, Optional.empty()).model();
    }

    @Override
    public RemoteModel info(ModelKey key) {
        return find(key.repoId(), key.commit(), Optional.of(key.hotkey())).model();
    }

    @Override
    public RemoteModel download(String repoId, String commit, Path target, long maxBytes) {
        return download(find(repoId, commit, Optional.empty()), target, maxBytes);
    }

    @Override
    public RemoteModel download(ModelKey key, Path target, long maxBytes) {
        return download(find(key.repoId(), key.commit(), Optional.of(key.hotkey())), target, maxBytes);
    }

    /** A run that holds a commit, with its files. */
    private record Found(Run run, String entity, Map<String, RunFile> files, RemoteModel model) {
        String where(String project) {
            return "W&B run " + entity + "/" + project + "/" + run.name();
        }
    }

    private Found find(String repoId, String commit, Optional<String> hotkey) {
        ModelId.validateRepoId(repoId);
        String[] parts = repoId.split("/", 2);
        String entity = parts[0];
        String name = parts[1];
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_NOT_FOUND,
                    repoId + ": '" + ModelFiles.printable(commit) + "' is not a wandb commit (40 hex characters)");
        }
        ObjectNode filters = WandbHttp.MAPPER
                .createObjectNode()
                .put("config.type", "miner")
                .put("config.model_name", name)
                .put("config.model_commit", commit);
        hotkey.ifPresent(h -> filters.put("config.hotkey", h));
        List<Run> runs = api.runs(entity, project, filters);
        List<String> reasons = new ArrayList<>();
        for (Run run : runs) {
            String where = "run " + run.name();
            if (!run.name().matches("[A-Za-z0-9_-]{1,64}")) {
                reasons.add("a run id '" + ModelFiles.printable(run.name()) + "' that is not a W&B run id");
                continue;
            }
            Optional<List<RunFile>> listed = api.files(entity, project, run.name());
            if (listed.isEmpty()) {
                reasons.add(where + " disappeared");
                continue;
            }
            Map<String, RunFile> needed = new LinkedHashMap<>();
            List<RepoFile> all = new ArrayList<>();
            String problem = null;
            for (RunFile file : listed.get()) {
                if (file.size() < 0) {
                    problem = where + " announces no size for " + ModelFiles.printable(file.name());
                    break;
                }
                if (ModelFiles.isNeeded(file.name())
                        || WEIGHT_LIKE.matcher(file.name()).matches()) {
                    // the run's own files (output.log, wandb-metadata.json, ...) are neither the model nor
                    // counted against its size
                    all.add(new RepoFile(file.name(), file.size(), Optional.empty(), Optional.empty()));
                }
                if (ModelFiles.isNeeded(file.name())) {
                    if (file.url().isEmpty() || file.md5().isEmpty()) {
                        problem = where + " announces no " + (file.url().isEmpty() ? "URL" : "MD5") + " for "
                                + file.name();
                        break;
                    }
                    needed.put(file.name(), file);
                }
            }
            if (problem == null && needed.isEmpty()) {
                problem = where + " has no model files";
            }
            if (problem != null) {
                reasons.add(problem);
                continue;
            }
            String holds = Manifest.commit(needed.values().stream()
                    .map(f -> new Manifest.Entry(f.name(), f.size(), f.md5().get()))
                    .toList());
            if (!holds.equals(commit)) {
                reasons.add(where + "'s files changed after the commit (they now make " + holds + ")");
                continue;
            }
            Optional<String> owner = run.configString("hotkey");
            Optional<byte[]> signature = run.configString("signature").flatMap(WandbModelStore::hex);
            if (owner.isEmpty() || signature.isEmpty()) {
                reasons.add(where + " has no " + (owner.isEmpty() ? "config.hotkey" : "hex config.signature"));
                continue;
            }
            OwnerSignature claim = new OwnerSignature(
                    owner.get(),
                    run.name().getBytes(StandardCharsets.UTF_8),
                    signature.get(),
                    "W&B run " + entity + "/" + project + "/" + run.name());
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "{0}@{1}: W&B run {2}/{3}/{4}, created {5}",
                    repoId,
                    commit,
                    entity,
                    project,
                    run.name(),
                    run.createdAt().map(Object::toString).orElse("?"));
            return new Found(run, entity, needed, new RemoteModel(repoId, commit, all, Optional.of(claim)));
        }
        throw new Pretrain4jException(
                ModelStoreErrorCode.MODEL_NOT_FOUND,
                "no W&B run in " + entity + "/" + project + " holds "
                        + repoId + "@" + commit
                        + hotkey.map(h -> " for hotkey " + h).orElse("")
                        + (runs.isEmpty()
                                ? " (no run of that model and commit)"
                                : ": " + String.join("; ", reasons.subList(0, Math.min(5, reasons.size())))
                                        + (reasons.size() > 5
                                                ? "; and " + (reasons.size() - 5) + " more run(s)"
                                                : "")));
    }

    private RemoteModel download(Found found, Path target, long maxBytes) {
        List<RepoFile> wanted = found.model().filesToDownload(maxBytes);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot create " + target + ": " + e, e);
        }
        for (RepoFile file : wanted) {
            downloads.download(
                    file.name() + " of " + found.where(project),
                    found.model().repoId(),
                    found.files().get(file.name()),
                    target);
        }
        return found.model();
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        throw new Pretrain4jException(
                PortErrorCode.INVALID_CONFIG,
                "the wandb store signs every run with the miner's hotkey;"
                        + " publish with one (bin/pretrain4j-miner publish does)");
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate, PublishingKey publisher) {
        ModelId.validateRepoId(repoId);
        List<Path> files = ModelFiles.publishable(repoId, modelDirectory);
        String[] parts = repoId.split("/", 2);
        String entity = parts[0];
        String name = parts[1];
        List<Manifest.Entry> entries = new ArrayList<>();
        try {
            for (Path file : files) {
                entries.add(new Manifest.Entry(
                        file.getFileName().toString(),
                        Files.size(file),
                        Base64.getEncoder().encodeToString(RunFileDownloads.digest(file))));
            }
        } catch (IOException e) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot read " + modelDirectory + ": " + e, e);
        }
        String commit = Manifest.commit(entries);
        String runId = WandbApi.randomId(WandbApi.RUN_ID_ALPHABET, 8);
        String runName = "miner-" + name + "-" + WandbApi.randomId(NAME_ALPHABET, 10);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("hotkey", publisher.hotkey());
        config.put("run_name", runName);
        config.put("version", version);
        config.put("type", "miner");
        config.put("signature", HexFormat.of().formatHex(publisher.sign(runId.getBytes(StandardCharsets.UTF_8))));
        config.put("model_name", name);
        config.put("model_commit", commit);
        api.upsertRun(entity, project, runId, runName, config);
        WandbApi.Uploads uploads = api.createRunFiles(
                entity,
                project,
                runId,
                entries.stream().map(Manifest.Entry::name).toList());
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            put(
                    entity + "/" + project + "/" + runId + "/" + fileName,
                    uploads.urls().get(fileName),
                    uploads.headers(),
                    file);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "Published {0} as W&B run {1}/{2}/{3} ({4} file(s), commit {5}){6}",
                repoId,
                entity,
                project,
                runId,
                files.size(),
                commit,
                makePrivate ? "; W&B runs are as visible as their project, so it is not made private" : "");
        return commit;
    }

    private void put(String what, URI url, List<String> headers, Path file) {
        api.http().withRetries("W&B upload of " + what, () -> {
            HttpRequest.Builder request = api.http().request(url);
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    request.header(
                            header.substring(0, colon).strip(),
                            header.substring(colon + 1).strip());
                }
            }
            try {
                request.PUT(HttpRequest.BodyPublishers.ofFile(file));
            } catch (IOException e) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot read " + file + ": " + e, e);
            }
            HttpResponse<byte[]> response = api.http().send(request.build());
            WandbHttp.checkStatus("W&B upload of " + what, response);
            return null;
        });
    }

    @Override
    public void setPrivate(String repoId, boolean makePrivate) {
        ModelId.validateRepoId(repoId);
        LOG.log(
                System.Logger.Level.INFO,
                "{0}: W&B runs are as visible as their project ({1}); change the project''s visibility in W&B"
                        + " if needed (nothing to do per run)",
                repoId,
                project);
    }

    private static Optional<byte[]> hex(String text) {
        String value = text.startsWith("0x") ? text.substring(2) : text;
        if (!value.matches("([0-9a-fA-F]{2}){1,256}")) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT)));
    }

    @Override
    public void close() {
        downloads.close();
        api.http().close();
    }

    /** The commit of a set of model files: a content address over names, sizes and MD5s. */
    static final class Manifest {
        /** A model file as the manifest sees it. */
        record Entry(String name, long size, String md5) {}

        private Manifest() {}

        static String commit(List<Entry> entries) {
            StringBuilder text = new StringBuilder("pretrain4j-wandb-manifest-1\n");
            entries.stream()
                    .sorted(Comparator.comparing(Entry::name))
                    .forEach(e -> text.append(e.name())
                            .append('\t')
                            .append(e.size())
                            .append('\t')
                            .append(e.md5())
                            .append('\n'));
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1")
                                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
