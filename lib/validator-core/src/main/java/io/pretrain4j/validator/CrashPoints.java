package io.pretrain4j.validator;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * Named points between a step's effects where a fault test kills the validator as {@code kill -9}
 * would ({@code Runtime.halt}: no shutdown hooks, no finally blocks). Armed by the launcher, which
 * reads the environment variable {@value #VARIABLE} naming one point ({@link #arm}); inert otherwise.
 * The points: {@code step-saved} (the step is recorded in the state, nothing published),
 * {@code step-published} (step log, run log and table done, weights not set), {@code weights-set}
 * (the chain took the weights, the state does not know yet).
 */
public final class CrashPoints {
    /** The variable the launcher reads. */
    public static final String VARIABLE = "PRETRAIN4J_TEST_HALT_AT";

    private static volatile Optional<String> armed = Optional.empty();

    private CrashPoints() {}

    /** Arms the point {@code point} for this process (the launcher's fault-test hook). */
    public static void arm(String point) {
        armed = Optional.of(point);
    }

    static void reach(String point, PrintWriter out) {
        if (armed.filter(point::equals).isPresent()) {
            out.println("pretrain4j: halting at crash point '" + point + "' (" + VARIABLE + ")");
            out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
