package io.pretrain4j.ports.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A file of a model repo at a commit.
 *
 * @param name its path in the repo ({@code rfilename})
 * @param size its size in bytes
 * @param sha256 the SHA-256 (hex) when the store announces one (LFS files of the Hugging Face Hub)
 * @param gitOid the git blob id (hex SHA-1 of {@code "blob <size>\0" + bytes}) when announced
 */
public record RepoFile(String name, long size, Optional<String> sha256, Optional<String> gitOid) {
    public RepoFile {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(gitOid, "gitOid is null");
    }
}
