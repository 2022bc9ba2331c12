package io.pretrain4j.app.archfixture;

/** An app class; apps may print. */
public final class AppLauncher {
    public void run() {
        System.out.println("app output is allowed");
    }
}
