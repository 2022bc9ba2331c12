/**
 * The pure scoring core of pretrain4j: model identity and architecture specs, hashing, epsilon
 * schedules, win counting, weights, the competition schedule and its checks, selection, seeded
 * sampling, the reference's loss aggregation and output sanity rule. Depends on the JDK alone and
 * reads no files but the streamed model-directory hash: JSON and safetensors live in {@code lib/formats}.
 */
module io.pretrain4j.domain {
    exports io.pretrain4j.domain;
    exports io.pretrain4j.domain.model;
    exports io.pretrain4j.domain.hash;
    exports io.pretrain4j.domain.scoring;
    exports io.pretrain4j.domain.schedule;
    exports io.pretrain4j.domain.random;
    exports io.pretrain4j.domain.eval;
    exports io.pretrain4j.domain.data;
}
