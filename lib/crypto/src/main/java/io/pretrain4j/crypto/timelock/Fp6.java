package io.pretrain4j.crypto.timelock;

/** An element {@code c0 + c1·v + c2·v²} of the cubic extension over {@link Fp2}, {@code v³ = ξ = 1 + u}. Immutable. */
record Fp6(Fp2 c0, Fp2 c1, Fp2 c2) {
    static final Fp6 ZERO = new Fp6(Fp2.ZERO, Fp2.ZERO, Fp2.ZERO);
    static final Fp6 ONE = new Fp6(Fp2.ONE, Fp2.ZERO, Fp2.ZERO);

    Fp6 add(Fp6 o) {
        return new Fp6(c0.add(o.c0), c1.add(o.c1), c2.add(o.c2));
    }

    Fp6 subtract(Fp6 o) {
        return new Fp6(c0.subtract(o.c0), c1.subtract(o.c1), c2.subtract(o.c2));
    }

    Fp6 negate() {
        return new Fp6(c0.negate(), c1.negate(), c2.negate());
    }

    Fp6 multiply(Fp6 o) {
        Fp2 t0 = c0.multiply(o.c0);
        Fp2 t1 = c1.multiply(o.c1);
        Fp2 t2 = c2.multiply(o.c2);
        Fp2 r0 = c1.multiply(o.c2).add(c2.multiply(o.c1)).multiplyByXi().add(t0);
        Fp2 r1 = c0.multiply(o.c1).add(c1.multiply(o.c0)).add(t2.multiplyByXi());
        Fp2 r2 = c0.multiply(o.c2).add(t1).add(c2.multiply(o.c0));
        return new Fp6(r0, r1, r2);
    }

    /** Multiplication by {@code v}: {@code (c0, c1, c2)·v = (ξ·c2, c0, c1)}. */
    Fp6 multiplyByV() {
        return new Fp6(c2.multiplyByXi(), c0, c1);
    }

    Fp6 multiply(Fp2 scalar) {
        return new Fp6(c0.multiply(scalar), c1.multiply(scalar), c2.multiply(scalar));
    }

    Fp6 inverse() {
        Fp2 a = c0.square().subtract(c1.multiply(c2).multiplyByXi());
        Fp2 b = c2.square().multiplyByXi().subtract(c0.multiply(c1));
        Fp2 c = c1.square().subtract(c0.multiply(c2));
        Fp2 norm = c0.multiply(a)
                .add(c2.multiply(b).multiplyByXi())
                .add(c1.multiply(c).multiplyByXi());
        Fp2 inv = norm.inverse();
        return new Fp6(a.multiply(inv), b.multiply(inv), c.multiply(inv));
    }
}
