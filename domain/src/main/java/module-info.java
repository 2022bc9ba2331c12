/**
 * The pure scoring core of pretrain4j: model identity, hashing, epsilon schedules, win counting,
 * weights, competition schedule, selection and seeded sampling. Depends on the JDK alone.
 */
module io.pretrain4j.domain {
    exports io.pretrain4j.domain;
    exports io.pretrain4j.domain.model;
    exports io.pretrain4j.domain.hash;
    exports io.pretrain4j.domain.scoring;
    exports io.pretrain4j.domain.schedule;
    exports io.pretrain4j.domain.random;
}
