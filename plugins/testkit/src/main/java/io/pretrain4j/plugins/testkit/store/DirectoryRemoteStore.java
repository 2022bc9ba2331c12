package io.pretrain4j.plugins.testkit.store;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RemoteModel;
import io.pretrain4j.ports.store.RemoteModelStore;
import io.pretrain4j.ports.store.RepoFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A minimal remote store for local-store tests: models registered from directories, downloads
 * counted, and an optional failure after the first file (to check that nothing half-written
 * becomes a model).
 */
public final class DirectoryRemoteStore implements RemoteModelStore {
    private final Map<String, Path> models = new ConcurrentHashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();
    private volatile boolean failAfterFirstFile;

    /** Serves {@code directory} as {@code repoId@commit}. */
    public void put(String repoId, String commit, Path directory) {
        models.put(repoId + "@" + commit, directory);
    }

    /** Makes downloads fail (STORE_UNAVAILABLE) after writing their first file. */
    public void failAfterFirstFile(boolean fail) {
        failAfterFirstFile = fail;
    }

    /** Downloads started so far. */
    public int downloads() {
        return downloads.get();
    }

    @Override
    public String id() {
        return "testkit-directory";
    }

    @Override
    public RemoteModel info(String repoId, String commit) {
        Path dir = models.get(repoId + "@" + commit);
        if (dir == null) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_NOT_FOUND, repoId + "@" + commit + " is not served");
        }
        try (Stream<Path> listing = Files.list(dir)) {
            List<RepoFile> files = new ArrayList<>();
            for (Path file : listing.sorted().toList()) {
                files.add(new RepoFile(
                        file.getFileName().toString(), Files.size(file), Optional.empty(), Optional.empty()));
            }
            return new RemoteModel(repoId, commit, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RemoteModel download(String repoId, String commit, Path target, long maxBytes) {
        RemoteModel model = info(repoId, commit);
        if (model.totalBytes() > maxBytes) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_TOO_LARGE, repoId + " is too large");
        }
        downloads.incrementAndGet();
        Path dir = models.get(repoId + "@" + commit);
        try {
            Files.createDirectories(target);
            int written = 0;
            for (RepoFile file : model.neededFiles()) {
                if (failAfterFirstFile && written == 1) {
                    Files.writeString(target.resolve(file.name() + ".incomplete"), "half");
                    throw new Pretrain4jException(ModelStoreErrorCode.STORE_UNAVAILABLE, "connection lost (testkit)");
                }
                Files.copy(
                        dir.resolve(ModelFiles.checkName(repoId, file.name())),
                        target.resolve(file.name()),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(
                        target.resolve(file.name() + ".incomplete")); // as a real store finishing a resumed file
                written++;
            }
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String publish(String repoId, Path modelDirectory, boolean makePrivate) {
        throw new UnsupportedOperationException("the testkit's directory store only serves registered models");
    }

    @Override
    public void setPrivate(String repoId, boolean makePrivate) {
        throw new UnsupportedOperationException("the testkit's directory store only serves registered models");
    }
}
