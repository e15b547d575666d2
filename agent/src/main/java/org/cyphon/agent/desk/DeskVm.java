package org.cyphon.agent.desk;

import java.time.Duration;

/**
 * The owner's own OS as a guest the agent manages. Every operation works whatever the guest OS is
 * doing (hung, crashed, infected): each goes to the hypervisor, never into the guest.
 *
 * <p>Operations on one desk run one at a time. Each either does what it says or throws a
 * {@link DeskException} whose kind says whether it was refused in this state (nothing changed),
 * given a bad argument (nothing changed), or failed on the machine.
 *
 * <p>{@link #close()} lets go of the VM without stopping it: the VM outlives the agent, and a new
 * instance over the same state directory takes it over.
 */
public interface DeskVm extends AutoCloseable {

    /** The desk now: state, accelerator, pid, cap, balloon, CPU used. Never changes anything but stale bookkeeping. */
    DeskVmStatus status() throws DeskException;

    /**
     * Boots the guest (making the overlay from the golden image on the first start). A saved desk
     * is restored instead: booting afresh would throw the saved session away and leave a state that
     * no longer matches the disks.
     *
     * @throws DeskException REFUSED when a VM already runs; FAILED when KVM was required and does not work
     */
    void start() throws DeskException;

    /**
     * Presses the ACPI power button and waits up to {@code timeout} for the guest to shut down; a
     * guest still up then is powered off. A paused guest is resumed first, so it can hear the button.
     */
    StopOutcome stop(Duration timeout) throws DeskException;

    /** Stops the vCPUs (the guest's clocks stop with them); memory stays allocated. REFUSED unless running. */
    void pause() throws DeskException;

    /** Continues a paused guest. REFUSED unless paused. */
    void resume() throws DeskException;

    /**
     * Writes the guest's memory and device state to the desk's state directory and ends the VM
     * process, which frees all of its memory. REFUSED without a VM.
     */
    void save() throws DeskException;

    /**
     * Loads the saved state into a new VM process and resumes the guest if it was running when saved;
     * the state file is deleted once loaded (the guest moves on from it). REFUSED without a saved state
     * or while a VM runs.
     */
    void restore() throws DeskException;

    /**
     * Replaces the overlay with a fresh one from the golden image; the user-data disk is untouched and
     * the replaced overlay is kept for {@link #undoReimage}. Without {@code force}, REFUSED while a
     * VM runs or a saved state exists; with it, the VM is powered off and the saved state discarded.
     */
    void reimage(boolean force) throws DeskException;

    /**
     * Brings back the overlay the last reimage replaced (swapping the two). The same conditions as
     * {@link #reimage}; REFUSED when there is nothing to undo.
     */
    void undoReimage(boolean force) throws DeskException;

    /** The guest's screen as PNG, from the hypervisor (works when the guest is hung). REFUSED without a VM. */
    byte[] screenshot() throws DeskException;

    /**
     * Pulls the plug: the VM process ends now, without asking the guest. A saved desk is refused
     * unless {@code discardSavedState}: its saved state is the owner's open work, and a poweroff
     * throws it away. A failed desk becomes stopped (the administrator has seen the failure). Does
     * nothing on a stopped desk.
     */
    void poweroff(boolean discardSavedState) throws DeskException;

    /**
     * Caps the VM's CPU time at {@code cores} CPUs' worth (0.2 = a fifth of one core), or lifts the cap
     * with null. Kept for later starts. INVALID below 0.01 or above the desk's vCPUs; FAILED when
     * this machine gives the desk no cgroup.
     */
    void setCpuCap(Double cores) throws DeskException;

    /**
     * Sets the VM's CPU weight against other work on the host, in cgroup v2 units (1..10000, 100 a
     * normal group; v1 {@code cpu.shares} is 10.24 times that). Not kept across starts: the agent's
     * desk keeper sets it from the owner's presence after each start. INVALID outside 1..10000;
     * REFUSED without a VM; FAILED when this machine gives the desk no cgroup.
     */
    void setCpuWeight(int weight) throws DeskException;

    /**
     * Asks the guest's balloon driver to give memory back until the guest has {@code mib} MiB.
     * INVALID outside the desk's memory_min..memory_max; REFUSED without a VM. The guest shrinks
     * in its own time; {@link DeskVmStatus#balloonMiB()} shows where it is.
     */
    void setBalloon(long mib) throws DeskException;

    /** Lets go of the VM (closes the QMP connection) and leaves it running. */
    @Override
    void close();
}
