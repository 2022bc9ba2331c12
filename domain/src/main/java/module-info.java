/**
 * The pure scoring core of pretrain4j: model identity, hashing, epsilon schedules, win counting,
 * weights, competition schedule, selection, seeded sampling, the safetensors
 * format and the reference's loss aggregation and output sanity rule. Depends on the JDK alone.
 */
module io.pretrain4j.domain {
    exports io.pretrain4j.domain;
    exports io.pretrain4j.domain.model;
    exports io.pretrain4j.domain.hash;
    exports io.pretrain4j.domain.scoring;
    exports io.pretrain4j.domain.schedule;
    exports io.pretrain4j.domain.random;
    exports io.pretrain4j.domain.safetensors;
    exports io.pretrain4j.domain.eval;
    exports io.pretrain4j.domain.data;
    exports io.pretrain4j.domain.json to io.pretrain4j.ports;
}
