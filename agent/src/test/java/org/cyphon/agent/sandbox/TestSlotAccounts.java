package org.cyphon.agent.sandbox;

/** For tests outside this package: removes the slot accounts a test's agent created (its own prefix only). */
public final class TestSlotAccounts {
    private TestSlotAccounts() {}

    public static void removeAll(String prefix, int slots) throws Exception {
        TestAccounts.removeAll(prefix, slots);
    }
}
