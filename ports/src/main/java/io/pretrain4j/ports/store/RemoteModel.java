package io.pretrain4j.ports.store;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a remote store says of a repo at a commit.
 *
 * @param repoId {@code namespace/name}
 * @param commit the resolved commit (40 hex characters)
 * @param files every file of the repo at that commit
 */
public record RemoteModel(String repoId, String commit, List<RepoFile> files) {
    public RemoteModel {
        requireNonNull(repoId, "repoId is null");
        requireNonNull(commit, "commit is null");
        files = List.copyOf(files);
    }

    /** The sum of all file sizes: what the reference compares with the competition's max bytes. */
    public long totalBytes() {
        return files.stream().mapToLong(RepoFile::size).sum();
    }

    /** The files a model needs ({@link ModelFiles#isNeeded}). */
    public List<RepoFile> neededFiles() {
        return files.stream().filter(file -> ModelFiles.isNeeded(file.name())).toList();
    }
}
