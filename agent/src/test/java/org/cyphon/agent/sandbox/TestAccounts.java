package org.cyphon.agent.sandbox;

import java.util.concurrent.TimeUnit;

/** Removes the slot accounts a test created (its own unique prefix only). */
final class TestAccounts {
    private TestAccounts() {}

    static void removeAll(String prefix, int slots) throws Exception {
        for (int i = 1; i <= slots; i++) {
            Process p = new ProcessBuilder("userdel", prefix + i)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
