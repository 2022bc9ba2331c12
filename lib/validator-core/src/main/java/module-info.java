/**
 * The validator loop, split by responsibility and free of Guice, the configuration library and
 * picocli (an ArchUnit rule): {@link io.pretrain4j.validator.Validator} sequences
 * {@link io.pretrain4j.validator.MetagraphView} (metagraph, uid reassignment),
 * {@link io.pretrain4j.validator.ModelSync} (commitments, downloads, the top-model scan),
 * {@link io.pretrain4j.validator.StepEvaluator} (windows, per-model limits: the seam a distributed
 * engine goes behind), {@link io.pretrain4j.validator.StepRecorder} (policy, EMA, selection, step
 * log), {@link io.pretrain4j.validator.WeightSetter} and {@link io.pretrain4j.validator.StoreCleaner};
 * its state ({@link io.pretrain4j.validator.state.ValidatorState}, changed through its operations)
 * persists through the {@link io.pretrain4j.validator.state.StateStore} port, a JSON file its first adapter. The validator app wires it
 * from configuration ({@link io.pretrain4j.validator.ValidatorSettings}, {@link io.pretrain4j.validator.LoopServices}).
 */
module io.pretrain4j.validator {
    requires transitive io.pretrain4j.evaluation;
    requires io.pretrain4j.toolkit;
    requires com.fasterxml.jackson.databind;
    requires java.logging;

    exports io.pretrain4j.validator;
    exports io.pretrain4j.validator.state;

    opens io.pretrain4j.validator to
            com.fasterxml.jackson.databind;
    opens io.pretrain4j.validator.state to
            com.fasterxml.jackson.databind;
}
