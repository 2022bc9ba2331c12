package io.pretrain4j.adapters.hf.localhub;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.adapters.hf.files.Files2;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import io.pretrain4j.toolkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory that behaves like a hub, so miners and validators on one machine exchange models with
 * no network: {@code <root>/<ns>/<name>/<commit>/} holds a published model's files and
 * {@code <commit>.manifest} their sizes and SHA-256. The commit is derived from the content (the
 * first 40 hex digits of a SHA-256 over the files' names and hashes), so publishing the same files
 * twice gives the same commit. A marker file {@code .private} hides a repo from downloads, as the
 * Hub hides private repos from validators.
 */
final class LocalHubStore implements RemoteModelStore {
    private static final System.Logger LOG = System.getLogger(LocalHubStore.class.getName());
    private final Path root;

    LocalHubStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    @Override
    public String id() {
        return "local-hub:" + root;
    }

    private Path repo(String repoId) {
        ModelId.validateRepoId(repoId);
        String[] parts = repoId.split("/", 2);
        return root.resolve(parts[0]).resolve(parts[1]);
    }

    @Override
    public RemoteModel info(String repoId, String commit) {
        Path repo = repo(repoId);
        if (!commit.matches("[0-9a-f]{40}")) {
            throw notFound(repoId + ": revision '" + ModelFiles.printable(commit) + "' is not a 40-hex commit");
        }
        if (!Files.isDirectory(repo) || Files.exists(repo.resolve(".private"))) {
            throw notFound(repoId + " does not exist in " + id() + " (or is private)");
        }
        Path manifest = repo.resolve(commit + ".manifest");
        if (!Files.isRegularFile(manifest)) {
            throw notFound(repoId + " has no commit " + commit);
        }
        try {
            List<RepoFile> files = new ArrayList<>();
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t");
                if (fields.length != 3) {
                    throw new Pretrain4jException(
                            ModelStoreErrorCode.MODEL_FILES_INVALID, manifest + ": malformed line '" + line + "'");
                }
                files.add(new RepoFile(fields[0], Long.parseLong(fields[1]), Optional.of(fields[2]), Optional.empty()));
            }
            return new RemoteModel(repoId, commit, files);
        } catch (IOException | NumberFormatException e) {
            throw new Pretrain4jException(ModelStoreErrorCode.STORE_IO, "cannot read " + manifest + ": " + e, e);
        }
    }

    @Override
    public RemoteModel download(String repoId, String commit, Path target, long maxBytes) {
        RemoteModel model = info(repoId, commit);
        List<RepoFile> needed = model.filesToDownload(maxBytes);
        Path source = repo(repoId).resolve(commit);
        try {
            Files.createDirectories(target);
            for (RepoFile file : needed) {
                Path done = target.resolve(file.name());
                if (Files.isRegularFile(done)
                        && Files.size(done) == file.size()
                        && Files2.sha256(done).equals(file.sha256().orElseThrow())) {
                    continue;
                }
                Path part = target.resolve(file.name() + ".incomplete");
                Files.copy(source.resolve(file.name()), part, StandardCopyOption.REPLACE_EXISTING);
                String actual = Files2.sha256(part);
                if (Files.size(part) != file.size()
                        || !actual.equals(file.sha256().orElseThrow())) {
                    Files.delete(part);
                    throw new Pretrain4jException(
                            ModelStoreErrorCode.MODEL_FILES_INVALID,
                            repoId + "@" + commit + ": " + file.name() + " has sha256 " + actual
                                    + ", the manifest says " + file.sha256().orElseThrow());
                }
                AtomicFiles.move(part, done);
            }
            return model;
        } catch (IOException e) {
            throw Files2.io("cannot copy " + repoId + "@" + commit + " into " + target, e);
        }
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        Path repo = repo(repoId);
        List<Path> files = ModelFiles.publishable(repoId, modelDirectory);
        try {
            StringBuilder manifest = new StringBuilder();
            MessageDigest commitDigest = MessageDigest.getInstance("SHA-256");
            commitDigest.update("pretrain4j-local-hub-v1\n".getBytes(StandardCharsets.UTF_8));
            for (Path file : files) {
                String name = file.getFileName().toString();
                String sha = Files2.sha256(file);
                manifest.append(name)
                        .append('\t')
                        .append(Files.size(file))
                        .append('\t')
                        .append(sha)
                        .append('\n');
                commitDigest.update((name + "\0" + sha + "\n").getBytes(StandardCharsets.UTF_8));
            }
            String commit = Files2.hex(commitDigest.digest()).substring(0, 40);
            Files.createDirectories(repo);
            // one publisher per repo at a time (across processes): what staging it finds is then an orphan
            // of a crashed one
            try (FileChannel lockFile = FileChannel.open(
                            repo.resolve(".publish.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                removeOrphans(repo);
                return publishLocked(repo, repoId, files, manifest, commit, makePrivate);
            }
        } catch (IOException e) {
            throw Files2.io("cannot publish " + modelDirectory + " to " + id(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Deletes the staging folders and manifest temporaries a publisher killed mid-copy left in {@code repo}. */
    private static void removeOrphans(Path repo) throws IOException {
        List<Path> orphans;
        try (Stream<Path> listing = Files.list(repo)) {
            orphans = listing.filter(
                            p -> p.getFileName().toString().startsWith(".publish-") || AtomicFiles.isTemporary(p))
                    .toList();
        }
        long bytes = 0;
        for (Path orphan : orphans) {
            bytes += Files2.size(orphan);
            Files2.deleteTree(orphan);
        }
        if (!orphans.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0}: removed {1} staging folder(s) an interrupted publish left ({2} MB)",
                    repo,
                    orphans.size(),
                    bytes >> 20);
        }
    }

    private String publishLocked(
            Path repo, String repoId, List<Path> files, StringBuilder manifest, String commit, boolean makePrivate)
            throws IOException {
        {
            setPrivate(repoId, makePrivate);
            if (Files.isRegularFile(repo.resolve(commit + ".manifest"))) {
                return commit; // the same files were published before
            }
            Path staging = Files.createTempDirectory(repo, ".publish-");
            try {
                for (Path file : files) {
                    Files.copy(file, staging.resolve(file.getFileName().toString()));
                }
                try {
                    AtomicFiles.moveNew(staging, repo.resolve(commit));
                } catch (FileAlreadyExistsException e) {
                    Files2.deleteTree(staging);
                }
                AtomicFiles.writeString(repo.resolve(commit + ".manifest"), manifest.toString());
            } finally {
                Files2.deleteTree(staging);
            }
            return commit;
        }
    }

    @Override
    public void setPrivate(String repoId, boolean makePrivate) {
        Path repo = repo(repoId);
        try {
            Files.createDirectories(repo);
            if (makePrivate) {
                Files.writeString(repo.resolve(".private"), "");
            } else {
                Files.deleteIfExists(repo.resolve(".private"));
            }
        } catch (IOException e) {
            throw Files2.io("cannot change the visibility of " + repoId, e);
        }
    }

    private static Pretrain4jException notFound(String message) {
        return new Pretrain4jException(ModelStoreErrorCode.MODEL_NOT_FOUND, message);
    }
}
