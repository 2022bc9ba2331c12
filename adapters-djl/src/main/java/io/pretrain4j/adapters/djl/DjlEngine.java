package io.pretrain4j.adapters.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.inference.InferenceErrorCode;
import java.lang.System.Logger.Level;

/**
 * The one place that touches DJL's {@link Engine}: switches off DJL's network use (offline mode,
 * telemetry opt-out) before the engine class initialises, then loads PyTorch once.
 */
final class DjlEngine {
    private static final System.Logger LOG = System.getLogger(DjlEngine.class.getName());
    private static Engine engine;

    private DjlEngine() {}

    /** The PyTorch engine, initialised offline on first use. */
    static synchronized Engine pytorch(int threads) {
        if (engine == null) {
            System.setProperty("ai.djl.offline", "true");
            System.setProperty("OPT_OUT_TRACKING", "true");
            if (threads > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            long start = System.nanoTime();
            try {
                engine = Engine.getEngine("PyTorch");
            } catch (RuntimeException | LinkageError e) {
                throw new Pretrain4jException(
                        InferenceErrorCode.BACKEND_FAILED,
                        "cannot start DJL's PyTorch engine "
                                + "(is ai.djl.pytorch:pytorch-native-cpu on the class path?): " + e,
                        e);
            }
            LOG.log(
                    Level.INFO,
                    "PyTorch {0} engine ready in {1} ms",
                    engine.getVersion(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        JniUtils.setGradMode(false);
        return engine;
    }

    /** The device named in configuration, checked against what this machine has. */
    static Device device(Engine engine, String name) {
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int index = name.equals("gpu") ? 0 : Integer.parseInt(name.substring(4));
        int gpus = engine.getGpuCount();
        if (index >= gpus) {
            throw new Pretrain4jException(
                    InferenceErrorCode.DEVICE_UNAVAILABLE,
                    "device " + name + " is not available: "
                            + (gpus == 0
                                    ? "no GPU is visible to PyTorch (CPU-only native library or no driver)"
                                    : gpus + " GPU(s) visible"));
        }
        return Device.gpu(index);
    }
}
