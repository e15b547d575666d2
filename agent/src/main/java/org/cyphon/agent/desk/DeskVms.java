package org.cyphon.agent.desk;

/** Opens the desk VM a {@link DeskConfig} describes, with the backend it names. */
public final class DeskVms {
    private DeskVms() {}

    /**
     * The desk's VM, taken over as it is when one runs already (the VM outlives the agent).
     *
     * @throws DeskException FAILED when the backend's programs are not installed (the message names
     *                       the package), INVALID when the state directory cannot hold the desk
     */
    public static DeskVm open(DeskConfig config) throws DeskException {
        DeskHost host = DeskHost.find();
        return switch (config.backend()) {
            case QEMU -> new QemuDeskVm(config.spec(), config.stateDir(), host);
            case LIBVIRT -> new LibvirtDeskVm(config.spec(), config.stateDir(), host, config.libvirtUri());
        };
    }

    /** How an administrator reaches the guest's serial console on this desk (works when its screen does not). */
    static String serialConsole(DeskVm vm, DeskVmStatus status) {
        if (vm instanceof LibvirtDeskVm libvirt) return libvirt.consoleCommand();
        return status.serialSocket() == null ? null : "socat - UNIX-CONNECT:" + status.serialSocket();
    }
}
