package io.pretrain4j.adapters.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Gives the C heap's free memory back to the operating system after a model is closed. libtorch
 * allocates weights with {@code malloc}; glibc raises its mmap threshold to the size of freed large
 * blocks (up to 32 MB), so later weights land in its arenas, and memory freed there stays in the
 * process: a validator loading model after model grew by about 0.4 MB per load for good (issue 20,
 * {@code bench memory} over 150 cycles). {@code malloc_trim(0)} after each close returns it, without
 * the 20% forward-pass cost of fixing the threshold with {@code MALLOC_MMAP_THRESHOLD_}. glibc only:
 * elsewhere (musl, macOS, Windows) this does nothing.
 */
final class NativeHeap {
    private static final System.Logger LOG = System.getLogger(NativeHeap.class.getName());
    private static volatile Function mallocTrim = lookUp();

    private NativeHeap() {}

    /** Returns freed C heap memory to the system, where the C library can. */
    static void trim() {
        Function function = mallocTrim;
        if (function == null) {
            return;
        }
        try {
            function.invokeInt(new Object[] {0});
        } catch (RuntimeException | LinkageError e) {
            mallocTrim = null;
            LOG.log(System.Logger.Level.DEBUG, "malloc_trim failed ({0}); not called again", e.toString());
        }
    }

    private static Function lookUp() {
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (RuntimeException | LinkageError e) { // only glibc has malloc_trim (not musl, macOS or Windows)
            LOG.log(System.Logger.Level.DEBUG, "no malloc_trim in this C library ({0})", e.toString());
            return null;
        }
    }
}
