package org.cyphon.agent.desk;

import java.nio.file.Path;

/**
 * The libvirt domain XML of a desk: the same machine {@link QemuCommandLine} gives QEMU directly
 * (q35, the two virtio disks with serial numbers {@code cyphon-system} and {@code cyphon-data}, a
 * virtio balloon, a standard VGA card, the network; no desk session display yet), so a desk can
 * move between the backends without the guest noticing more than a new machine.
 */
final class LibvirtDomainXml {
    /** The CFS period the CPU cap is expressed against, in microseconds. */
    static final long CAP_PERIOD_US = 100_000;

    private LibvirtDomainXml() {}

    /**
     * @param domain      the libvirt domain's name
     * @param accel       KVM (domain type {@code kvm}) or TCG (type {@code qemu})
     * @param emulator    the QEMU binary libvirt runs
     * @param cpuCapCores the CPU cap for the whole VM, or null for none
     * @param uuid        the UUID libvirt gave the domain when it was first defined, or null for a new
     *                    one (libvirt refuses a domain of the same name with another UUID)
     * @param serialLog   where everything the guest prints on its serial console goes, or null
     */
    static String of(
            DeskSpec spec, String domain, Accel accel, Path emulator, Double cpuCapCores, String uuid, Path serialLog) {
        if (accel == Accel.AUTO) throw new IllegalArgumentException("resolve auto to kvm or tcg first");
        StringBuilder x = new StringBuilder();
        x.append("<domain type='").append(accel == Accel.KVM ? "kvm" : "qemu").append("'>\n");
        x.append("  <name>").append(text(domain)).append("</name>\n");
        if (uuid != null) x.append("  <uuid>").append(text(uuid)).append("</uuid>\n");
        x.append("  <description>Cyphon desk ")
                .append(text(spec.name()))
                .append(": defined by its agent, which redefines it on every start</description>\n");
        x.append("  <memory unit='MiB'>").append(spec.memoryMaxMiB()).append("</memory>\n");
        x.append("  <currentMemory unit='MiB'>").append(spec.memoryMaxMiB()).append("</currentMemory>\n");
        x.append("  <vcpu placement='static'>").append(spec.vcpus()).append("</vcpu>\n");
        if (cpuCapCores != null) {
            // The cap is on the whole VM (vCPUs, emulator and I/O threads), like the QEMU backend's cgroup.
            x.append("  <cputune>\n");
            x.append("    <global_period>").append(CAP_PERIOD_US).append("</global_period>\n");
            x.append("    <global_quota>").append(quotaMicros(cpuCapCores)).append("</global_quota>\n");
            x.append("  </cputune>\n");
        }
        x.append("  <os>\n");
        x.append("    <type arch='x86_64' machine='q35'>hvm</type>\n");
        if (spec.kernelBoot() != null) {
            DeskSpec.KernelBoot k = spec.kernelBoot();
            x.append("    <kernel>").append(text(k.kernel().toString())).append("</kernel>\n");
            if (k.initrd() != null)
                x.append("    <initrd>").append(text(k.initrd().toString())).append("</initrd>\n");
            if (k.cmdline() != null)
                x.append("    <cmdline>").append(text(k.cmdline())).append("</cmdline>\n");
        }
        x.append("  </os>\n");
        x.append("  <features>\n    <acpi/>\n  </features>\n");
        // As with QEMU directly: the host CPU under KVM, everything TCG can emulate otherwise
        // (modern Windows needs more than the default model).
        x.append(accel == Accel.KVM ? "  <cpu mode='host-passthrough'/>\n" : "  <cpu mode='maximum'/>\n");
        x.append(
                "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
        x.append("  <devices>\n");
        x.append("    <emulator>").append(text(emulator.toString())).append("</emulator>\n");
        disk(x, spec.overlay(), "qcow2", "vda", "cyphon-system", spec.kernelBoot() == null);
        disk(x, spec.userData(), spec.userDataFormat(), "vdb", "cyphon-data", false);
        if (spec.network() == DeskSpec.Network.USER) {
            x.append("    <interface type='user'>\n      <model type='virtio'/>\n    </interface>\n");
        }
        // A pty serial console: 'virsh console DOMAIN' reaches the guest when its display is dead; what
        // the guest printed there since it started is kept in the desk's state directory (by virtlogd).
        x.append("    <serial type='pty'>\n");
        if (serialLog != null)
            x.append("      <log file='")
                    .append(attribute(serialLog.toString()))
                    .append("' append='off'/>\n");
        x.append("      <target port='0'/>\n    </serial>\n");
        x.append("    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n");
        if (spec.display().kind() != DeskSpec.DisplayKind.NONE) {
            // DeskConfig refuses it: libvirt runs QEMU as its own user, which cannot make the socket in
            // a directory only the session's user may enter (docs/desk-session.md).
            throw new IllegalArgumentException("the libvirt backend has no desk session display yet");
        }
        // A VGA card even without a remote display: screenshots read its screen.
        x.append("    <video>\n      <model type='vga'/>\n    </video>\n");
        x.append("    <memballoon model='virtio'/>\n");
        x.append("  </devices>\n");
        x.append("</domain>\n");
        return x.toString();
    }

    /** The quota for {@code cores} CPUs' worth of time per {@link #CAP_PERIOD_US}; at least libvirt's minimum of 1000 µs. */
    static long quotaMicros(double cores) {
        return Math.max(1000, Math.round(cores * CAP_PERIOD_US));
    }

    private static void disk(StringBuilder x, Path file, String format, String target, String serial, boolean boot) {
        x.append("    <disk type='file' device='disk'>\n");
        x.append("      <driver name='qemu' type='")
                .append(format)
                .append("'")
                .append(format.equals("qcow2") ? " discard='unmap'" : "")
                .append("/>\n");
        x.append("      <source file='").append(attribute(file.toString())).append("'/>\n");
        x.append("      <target dev='").append(target).append("' bus='virtio'/>\n");
        x.append("      <serial>").append(serial).append("</serial>\n");
        if (boot) x.append("      <boot order='1'/>\n");
        x.append("    </disk>\n");
    }

    private static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String attribute(String s) {
        return text(s).replace("'", "&apos;").replace("\"", "&quot;");
    }
}
