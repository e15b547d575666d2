package org.cyphon.agent.desk;

import java.util.Locale;

/** Which program runs a desk VM: both behind the same {@link DeskVm} interface. */
public enum DeskBackend {
    /** {@link QemuDeskVm}: QEMU started by the agent and driven over QMP; no daemon needed. */
    QEMU,
    /** {@link LibvirtDeskVm}: a libvirt domain driven through {@code virsh}, for sites that manage VMs with libvirt. */
    LIBVIRT;

    /** {@code qemu} or {@code libvirt}, as written in configuration and shown in status. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static DeskBackend parse(String text) {
        for (DeskBackend b : values()) {
            if (b.configName().equalsIgnoreCase(text == null ? "" : text.trim())) return b;
        }
        throw new IllegalArgumentException("'" + text + "' is not one of qemu, libvirt");
    }
}
