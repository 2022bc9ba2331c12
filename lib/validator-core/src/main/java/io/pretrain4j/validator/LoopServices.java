package io.pretrain4j.validator;

import static java.util.Objects.requireNonNull;

import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.runlog.RunLogger;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.RemoteModelStore;
import java.util.Optional;

/**
 * What the loop runs on, all chosen by configuration from discovered factories.
 *
 * @param chain the chain
 * @param hotkey the validator's hotkey (sets weights)
 * @param local where models are kept on this machine
 * @param remote where models are downloaded from
 * @param backend the inference backend
 * @param data the windows of each task
 * @param policy the scoring policy
 * @param schedule the competitions by block
 * @param wallets checks the signatures of stores that sign uploads ({@link RemoteModelStore#signsModels()})
 * @param runLogger where steps are reported besides the step log ({@link #NO_RUN_LOGGER} for none)
 */
public record LoopServices(
        Chain chain,
        Hotkey hotkey,
        LocalModelStore local,
        RemoteModelStore remote,
        InferenceBackend backend,
        TaskData data,
        ScoringPolicy policy,
        CompetitionSchedule schedule,
        Wallets wallets,
        RunLogger runLogger) {
    /** Reports nothing. */
    public static final RunLogger NO_RUN_LOGGER = new RunLogger() {
        @Override
        public String id() {
            return "none";
        }

        @Override
        public void start(RunInfo run) {}

        @Override
        public void log(long step, String json) {}

        @Override
        public Status status() {
            return new Status(0, 0, 0, Optional.empty());
        }

        @Override
        public void close() {}
    };

    public LoopServices {
        requireNonNull(chain, "chain is null");
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(local, "local is null");
        requireNonNull(remote, "remote is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(data, "data is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(wallets, "wallets is null");
        requireNonNull(runLogger, "runLogger is null");
    }
}
