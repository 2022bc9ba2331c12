package io.pretrain4j.ports.store;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import java.util.List;
import java.util.Optional;

/**
 * What a remote store says of a repo at a commit.
 *
 * @param repoId {@code namespace/name}
 * @param commit the resolved commit (40 hex characters)
 * @param files every file of the repo at that commit
 * @param owner who the store says published it, for stores whose uploads are signed
 */
public record RemoteModel(String repoId, String commit, List<RepoFile> files, Optional<OwnerSignature> owner) {
    public RemoteModel {
        requireNonNull(repoId, "repoId is null");
        requireNonNull(commit, "commit is null");
        files = List.copyOf(files);
        requireNonNull(owner, "owner is null");
    }

    /** A repo of a store that does not sign uploads. */
    public RemoteModel(String repoId, String commit, List<RepoFile> files) {
        this(repoId, commit, files, Optional.empty());
    }

    /** The sum of all file sizes: what the reference compares with the competition's max bytes. */
    public long totalBytes() {
        return files.stream().mapToLong(RepoFile::size).sum();
    }

    /**
     * The files to download, after the checks every store makes before fetching a byte: the total
     * size against {@code maxBytes} ({@link ModelStoreErrorCode#MODEL_TOO_LARGE}), safe names and a
     * complete model ({@link ModelStoreErrorCode#MODEL_FILES_INVALID}).
     */
    public List<RepoFile> filesToDownload(long maxBytes) {
        if (totalBytes() > maxBytes) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_TOO_LARGE,
                    repoId + "@" + commit + " holds " + totalBytes() + " bytes, more than the " + maxBytes
                            + " allowed; nothing was downloaded");
        }
        List<RepoFile> needed = neededFiles();
        needed.forEach(file -> ModelFiles.checkName(repoId, file.name()));
        ModelFiles.checkComplete(repoId, commit, needed, files);
        return needed;
    }

    /** The files a model needs ({@link ModelFiles#isNeeded}). */
    public List<RepoFile> neededFiles() {
        return files.stream().filter(file -> ModelFiles.isNeeded(file.name())).toList();
    }
}
