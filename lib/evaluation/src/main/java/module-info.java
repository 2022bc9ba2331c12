/**
 * What the inference backends share, on the ports alone: {@link io.pretrain4j.evaluation.CausalLanguageModelBase},
 * the model every engine extends (its shape from config.json, window losses batched to a token
 * budget, closing once), the batching of windows and the checks on a checkpoint's tensors. Issue 22's
 * {@code lib/evaluation}; the evaluation windows, their cache and rope move here from {@code ports} next.
 */
module io.pretrain4j.evaluation {
    requires io.pretrain4j.toolkit;
    requires transitive io.pretrain4j.ports;

    exports io.pretrain4j.evaluation;
}
