package io.pretrain4j.adapters.wandb;

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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

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
    private static final java.util.regex.Pattern WEIGHT_LIKE = java.util.regex.Pattern.compile("[^/]+\\.(bin|pt|pth|safe)");
    private static final int MAX_REDIRECTS = 5;
    private static final String NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final WandbApi api;
    private final String project;
    private final String version;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wandb-download-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    WandbModelStore(WandbApi api, String project, String version) {
        this.api = requireNonNull(api, "api is null");
        this.project = requireNonNull(project, "project is null");
        this.version = requireNonNull(version, "version is null");
    }

    @Override
    public String id() {
        return "wandb:" + api.http().settings.baseUrl() + " (project " + project + ")";
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
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_NOT_FOUND, repoId + ": '" + ModelFiles.printable(commit)
                    + "' is not a wandb commit (40 hex characters)");
        }
        ObjectNode filters = WandbHttp.MAPPER.createObjectNode().put("config.type", "miner").put("config.model_name", name)
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
                if (ModelFiles.isNeeded(file.name()) || WEIGHT_LIKE.matcher(file.name()).matches()) {
                    // the run's own files (output.log, wandb-metadata.json, ...) are neither the model nor counted against its size
                    all.add(new RepoFile(file.name(), file.size(), Optional.empty(), Optional.empty()));
                }
                if (ModelFiles.isNeeded(file.name())) {
                    if (file.url().isEmpty() || file.md5().isEmpty()) {
                        problem = where + " announces no " + (file.url().isEmpty() ? "URL" : "MD5") + " for " + file.name();
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
            String holds = Manifest.commit(needed.values().stream().map(f -> new Manifest.Entry(f.name(), f.size(), f.md5().get())).toList());
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
            OwnerSignature claim = new OwnerSignature(owner.get(), run.name().getBytes(StandardCharsets.UTF_8), signature.get(),
                    "W&B run " + entity + "/" + project + "/" + run.name());
            LOG.log(System.Logger.Level.DEBUG, "{0}@{1}: W&B run {2}/{3}/{4}, created {5}", repoId, commit, entity, project, run.name(),
                    run.createdAt().map(Object::toString).orElse("?"));
            return new Found(run, entity, needed, new RemoteModel(repoId, commit, all, Optional.of(claim)));
        }
        throw new Pretrain4jException(ModelStoreErrorCode.MODEL_NOT_FOUND, "no W&B run in " + entity + "/" + project + " holds "
                + repoId + "@" + commit + hotkey.map(h -> " for hotkey " + h).orElse("")
                + (runs.isEmpty() ? " (no run of that model and commit)" : ": " + String.join("; ", reasons.subList(0, Math.min(5, reasons.size())))
                        + (reasons.size() > 5 ? "; and " + (reasons.size() - 5) + " more run(s)" : "")));
    }

    private RemoteModel download(Found found, Path target, long maxBytes) {
        List<RepoFile> wanted = found.model().filesToDownload(maxBytes);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot create " + target + ": " + e, e);
        }
        for (RepoFile file : wanted) {
            downloadFile(found, found.files().get(file.name()), target);
        }
        return found.model();
    }

    private void downloadFile(Found found, RunFile file, Path target) {
        String what = file.name() + " of " + found.where(project);
        Path done = target.resolve(ModelFiles.checkName(found.model().repoId(), file.name()));
        Path part = target.resolve(file.name() + ".incomplete");
        String last = "no attempt";
        int attempts = api.http().settings.attempts();
        java.time.Duration backoff = api.http().settings.retryDelay();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                long have = Files.exists(part) ? Files.size(part) : 0;
                if (have > file.size()) {
                    Files.delete(part);
                    have = 0;
                }
                MessageDigest streamed = md5();
                last = have < file.size() || !Files.exists(part) ? transfer(what, file, part, have, streamed) : null;
                if (last == null && Files.size(part) == file.size()) {
                    // the MD5 was taken while the bytes streamed in (and of the kept part, for a resumed file)
                    String md5 = Base64.getEncoder().encodeToString(have == file.size() ? digest(part) : streamed.digest());
                    if (!md5.equals(file.md5().get())) {
                        Files.deleteIfExists(part);
                        throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": the downloaded bytes have MD5 " + md5
                                + ", not the announced " + ModelFiles.printable(file.md5().get()) + "; the file was discarded");
                    }
                    Files.move(part, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
            } catch (IOException e) {
                last = "I/O failed (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt < attempts) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}; resuming in {2} ms (attempt {3} of {4})", what, last, backoff.toMillis(),
                        attempt + 1, attempts);
                WandbHttp.sleep(backoff);
                backoff = WandbHttp.doubled(backoff, api.http().settings.maxRetryDelay());
            }
        }
        throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": giving up after " + attempts + " attempts; last: "
                + last + (Files.exists(part) ? " (the partial file is kept and resumed next time)" : ""));
    }

    /** One GET from {@code have}; null when the file is complete, else why not (retryable). */
    private String transfer(String what, RunFile file, Path part, long have, MessageDigest md5) throws IOException {
        URI url = file.url().get();
        HttpResponse<InputStream> response = null;
        for (int hop = 0; ; hop++) {
            // W&B answers a file URL with a redirect to signed storage: followed here, the key going to the API's origin only
            HttpRequest.Builder request = api.http().request(url).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            try {
                response = api.http().stream(request.build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": interrupted", e);
            }
            int status = response.statusCode();
            URI from = url;
            Optional<URI> location = response.headers().firstValue("Location").flatMap(l -> WandbApi.uri(from.resolve(l).toString()));
            if (!List.of(301, 302, 303, 307, 308).contains(status)) {
                break;
            }
            response.body().close();
            if (location.isEmpty() || hop >= MAX_REDIRECTS) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": HTTP " + status
                        + (location.isEmpty() ? " without a usable Location" : " after " + MAX_REDIRECTS + " redirects"));
            }
            url = location.get();
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                throw new Pretrain4jException(ModelStoreErrorCode.MODEL_NOT_FOUND, what + ": W&B lists the file but its URL answers 404"
                        + " (the file is missing)");
            }
            if (status == 408 || status == 429 || status >= 500) {
                return "HTTP " + status + WandbHttp.excerpt(body.readNBytes(400));
            }
            if (status != 200 && status != 206) {
                throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, what + ": HTTP " + status + WandbHttp.excerpt(body.readNBytes(400)));
            }
            boolean append = status == 206 && have > 0;
            long start = append ? have : 0;
            if (append) {
                update(md5, part);
            }
            return copy(what, body, part, append, file.size() - start, md5);
        }
    }

    /** Copies at most {@code remaining} bytes; a stalled body is cut after the read timeout. */
    private String copy(String what, InputStream body, Path part, boolean append, long remaining, MessageDigest md5) throws IOException {
        long timeoutNanos = api.http().settings.readTimeout().toNanos();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > timeoutNanos && aborted.compareAndSet(false, true)) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing wakes the blocked read
                }
            }
        }, 50, Math.max(10, timeoutNanos / 5_000_000), TimeUnit.MILLISECONDS);
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                if (copied + read > remaining) {
                    throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, what + ": the server sent more bytes than the "
                            + "announced size; the download was stopped");
                }
                out.write(buffer, 0, read);
                md5.update(buffer, 0, read);
                copied += read;
                lastProgress.set(System.nanoTime());
            }
        } catch (IOException e) {
            if (aborted.get()) {
                return "no byte for " + api.http().settings.readTimeout().toMillis() + " ms; the transfer was cut after " + copied + " bytes";
            }
            return "the transfer broke after " + copied + " bytes (" + e.getClass().getSimpleName() + ")";
        } finally {
            guard.cancel(false);
        }
        return copied == remaining ? null : "the transfer ended after " + copied + " of " + remaining + " bytes";
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        throw new Pretrain4jException(PortErrorCode.INVALID_CONFIG, "the wandb store signs every run with the miner's hotkey;"
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
                entries.add(new Manifest.Entry(file.getFileName().toString(), Files.size(file), Base64.getEncoder().encodeToString(digest(file))));
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
        WandbApi.Uploads uploads = api.createRunFiles(entity, project, runId, entries.stream().map(Manifest.Entry::name).toList());
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            put(entity + "/" + project + "/" + runId + "/" + fileName, uploads.urls().get(fileName), uploads.headers(), file);
        }
        LOG.log(System.Logger.Level.INFO, "Published {0} as W&B run {1}/{2}/{3} ({4} file(s), commit {5}){6}", repoId, entity, project, runId,
                files.size(), commit, makePrivate ? "; W&B runs are as visible as their project, so it is not made private" : "");
        return commit;
    }

    private void put(String what, URI url, List<String> headers, Path file) {
        api.http().withRetries("W&B upload of " + what, () -> {
            HttpRequest.Builder request = api.http().request(url);
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
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
        LOG.log(System.Logger.Level.INFO, "{0}: W&B runs are as visible as their project ({1}); change the project''s visibility in W&B"
                + " if needed (nothing to do per run)", repoId, project);
    }

    static byte[] digest(Path file) throws IOException {
        MessageDigest md5 = md5();
        update(md5, file);
        return md5.digest();
    }

    private static void update(MessageDigest md5, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                md5.update(buffer, 0, read);
            }
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<byte[]> hex(String text) {
        String value = text.startsWith("0x") ? text.substring(2) : text;
        if (!value.matches("([0-9a-fA-F]{2}){1,256}")) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(value.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        api.http().close();
    }

    /** The commit of a set of model files: a content address over names, sizes and MD5s. */
    static final class Manifest {
        /** A model file as the manifest sees it. */
        record Entry(String name, long size, String md5) {}

        private Manifest() {}

        static String commit(List<Entry> entries) {
            StringBuilder text = new StringBuilder("pretrain4j-wandb-manifest-1\n");
            entries.stream().sorted(Comparator.comparing(Entry::name))
                    .forEach(e -> text.append(e.name()).append('\t').append(e.size()).append('\t').append(e.md5()).append('\n'));
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
