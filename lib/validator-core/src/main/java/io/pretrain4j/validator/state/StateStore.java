package io.pretrain4j.validator.state;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Where the validator's state persists: the loop's port for it. A store saves atomically (a crash
 * at any moment leaves the previous or the new state), checks what it restores whole
 * ({@link StateCheck}) and moves a damaged or foreign state aside instead of half-using it.
 * {@link #jsonFile} is the first adapter: {@code state.json} in the validator's state directory.
 */
public interface StateStore {
    /**
     * The saved state, or a fresh one when there is none or it is unreadable (set aside, logged); a
     * state written under another version key comes back with its evaluations dropped, as the
     * reference does ({@link ValidatorState#restartEvaluations}).
     */
    ValidatorState load(long versionKey);

    /** The saved state for reading (the leaderboard), when there is a readable one; never moves anything. */
    Optional<ValidatorState> peek();

    /** Saves {@code state} atomically. */
    void save(ValidatorState state);

    /** Where the state is, for logs and messages. */
    String location();

    /** {@code state.json} in {@code directory}, written atomically and owner-only, a damaged file moved aside with {@code clock}'s time. */
    static StateStore jsonFile(Path directory, Clock clock) {
        return new JsonStateStore(directory, clock);
    }
}
