package io.pretrain4j.ports.store;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.model.ModelId;

/**
 * A model as a validator keeps it: the miner's hotkey, the repo and the commit.
 *
 * @param hotkey the miner's SS58 hotkey (a path component, so checked)
 * @param repoId {@code namespace/name}
 * @param commit 40 hex characters (or another store's revision id of the same shape)
 */
public record ModelKey(String hotkey, String repoId, String commit) {
    public ModelKey {
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(repoId, "repoId is null");
        requireNonNull(commit, "commit is null");
        if (!hotkey.matches("[1-9A-HJ-NP-Za-km-z]{1,64}")) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    "hotkey '" + ModelFiles.printable(hotkey) + "' is not a base58 SS58 address");
        }
        ModelId.validateRepoId(repoId);
        if (!commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new Pretrain4jException(
                    ModelStoreErrorCode.MODEL_FILES_INVALID,
                    "commit '" + ModelFiles.printable(commit) + "' is not 40 (or 64) lower-case hex characters");
        }
    }

    /** {@code hotkey/repo@commit}, for logs. */
    @Override
    public String toString() {
        return hotkey + "/" + repoId + "@" + commit;
    }
}
