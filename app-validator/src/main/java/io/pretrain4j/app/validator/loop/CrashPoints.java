package io.pretrain4j.app.validator.loop;

/**
 * Named points between a step's effects where a fault test kills the validator as {@code kill -9}
 * would ({@code Runtime.halt}: no shutdown hooks, no finally blocks). Armed only by the environment
 * variable {@value #VARIABLE} naming one point; inert otherwise. The points: {@code step-saved}
 * (the step is recorded in the state, nothing published), {@code step-published} (step log, run log
 * and table done, weights not set), {@code weights-set} (the chain took the weights, the state does
 * not know yet).
 */
final class CrashPoints {
    static final String VARIABLE = "PRETRAIN4J_TEST_HALT_AT";
    private static final String ARMED = System.getenv(VARIABLE);

    private CrashPoints() {}

    static void reach(String point) {
        if (point.equals(ARMED)) {
            System.err.println("pretrain4j: halting at crash point '" + point + "' (" + VARIABLE + ")");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
