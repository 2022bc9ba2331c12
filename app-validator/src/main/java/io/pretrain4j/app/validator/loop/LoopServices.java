package io.pretrain4j.app.validator.loop;

import io.pretrain4j.domain.schedule.CompetitionSchedule;
import io.pretrain4j.domain.scoring.ScoringPolicy;
import io.pretrain4j.ports.chain.Chain;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.inference.InferenceBackend;
import io.pretrain4j.ports.store.LocalModelStore;
import io.pretrain4j.ports.store.RemoteModelStore;

import static java.util.Objects.requireNonNull;

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
 */
public record LoopServices(Chain chain, Hotkey hotkey, LocalModelStore local, RemoteModelStore remote, InferenceBackend backend,
        TaskData data, ScoringPolicy policy, CompetitionSchedule schedule) {
    public LoopServices {
        requireNonNull(chain, "chain is null");
        requireNonNull(hotkey, "hotkey is null");
        requireNonNull(local, "local is null");
        requireNonNull(remote, "remote is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(data, "data is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(schedule, "schedule is null");
    }
}
