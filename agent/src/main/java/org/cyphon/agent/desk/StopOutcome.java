package org.cyphon.agent.desk;

/** How {@link DeskVm#stop} ended the guest. */
public enum StopOutcome {
    /** The guest shut itself down after the ACPI power button. */
    SHUT_DOWN,
    /** The guest did not shut down in time and was powered off (its unsaved work is lost). */
    POWERED_OFF,
    /** There was no VM to stop. */
    WAS_STOPPED
}
