/**
 * What the inference backends share, on the ports alone: {@link io.pretrain4j.evaluation.CausalLanguageModelBase},
 * the model every engine extends (its shape from config.json, window losses batched to a token
 * budget, closing once), the batching of windows, the checks on a checkpoint's tensors, a step's
 * evaluation windows and their cache. It reads models through {@code lib/formats} (and passes it on).
 */
module io.pretrain4j.evaluation {
    requires io.pretrain4j.toolkit;
    requires transitive io.pretrain4j.ports;
    requires transitive io.pretrain4j.formats;

    exports io.pretrain4j.evaluation;
}
