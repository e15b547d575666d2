package org.cyphon.agent.desk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code qemu-system-x86_64} command line of a desk. The same spec and accelerator always give
 * the same machine, which a restore needs: a saved state loads only into an identical machine.
 */
final class QemuCommandLine {
    private QemuCommandLine() {}

    /**
     * @param incoming  wait for a saved state ({@code -incoming defer}) instead of booting
     * @param afterward with the devices later versions added ({@link #afterward}); false only to
     *                  restore a state saved by a machine without them
     */
    static List<String> of(
            Path qemuSystem, DeskSpec spec, DeskFiles files, Accel accel, boolean incoming, boolean afterward) {
        if (accel == Accel.AUTO) throw new IllegalArgumentException("resolve auto to kvm or tcg first");
        List<String> a = new ArrayList<>();
        a.add(qemuSystem.toString());
        // The marker lets a restarted agent tell our QEMU from an unrelated process that reused its pid;
        // debug-threads names the vCPU threads "CPU n/KVM" in /proc.
        a.addAll(List.of("-name", "guest=" + marker(spec) + ",debug-threads=on"));
        a.addAll(List.of("-machine", "q35", "-accel", accel.configName()));
        // KVM passes the host CPU through; under emulation "max" offers every feature TCG has, which
        // modern Windows needs (qemu64 lacks SSE4.2/POPCNT).
        a.addAll(List.of("-cpu", accel == Accel.KVM ? "host" : "max"));
        a.addAll(List.of("-smp", Integer.toString(spec.vcpus()), "-m", spec.memoryMaxMiB() + "M"));
        a.addAll(List.of("-nodefaults", "-no-user-config"));
        a.addAll(List.of("-pidfile", files.pidFile().toString()));
        a.addAll(List.of("-qmp", "unix:" + escape(files.qmpSocket()) + ",server=on,wait=off"));
        a.addAll(List.of(
                "-chardev",
                "socket,id=serial0,path=" + escape(files.serialSocket()) + ",server=on,wait=off,logfile="
                        + escape(files.serialLog()) + ",logappend=off",
                "-serial",
                "chardev:serial0"));
        a.addAll(List.of("-display", "none"));
        if (spec.display().kind() == DeskSpec.DisplayKind.SPICE) {
            a.addAll(spice(spec.display(), files));
        } else {
            // A VGA card even without a display: screendump reads its screen. (Unchanged since the
            // first desks, so their saved states still load.)
            a.addAll(List.of("-vga", "std"));
        }
        a.addAll(List.of(
                "-drive",
                "if=none,id=system,format=qcow2,discard=unmap,file=" + escape(spec.overlay()),
                // With a direct kernel boot, the kernel loader holds boot index 0.
                "-device",
                "virtio-blk-pci,drive=system,serial=cyphon-system"
                        + (spec.kernelBoot() == null ? ",bootindex=0" : "")));
        a.addAll(List.of(
                "-drive",
                "if=none,id=data,format=" + spec.userDataFormat() + ",file=" + escape(spec.userData()),
                "-device",
                "virtio-blk-pci,drive=data,serial=cyphon-data"));
        a.addAll(List.of("-device", "virtio-balloon-pci,id=balloon0"));
        a.addAll(
                switch (spec.network()) {
                    case NONE -> List.of("-nic", "none");
                    case USER -> List.of("-nic", "user,model=virtio-net-pci");
                });
        if (spec.kernelBoot() != null) {
            a.addAll(List.of("-kernel", spec.kernelBoot().kernel().toString()));
            if (spec.kernelBoot().initrd() != null)
                a.addAll(List.of("-initrd", spec.kernelBoot().initrd().toString()));
            if (spec.kernelBoot().cmdline() != null)
                a.addAll(List.of("-append", spec.kernelBoot().cmdline()));
        }
        if (afterward) a.addAll(afterward(files));
        if (incoming) a.addAll(List.of("-incoming", "defer"));
        return a;
    }

    /**
     * The desk session's devices: SPICE on its UNIX socket with this start's password, one QXL card
     * per monitor, the SPICE agent's and the QEMU guest agent's virtio-serial channels (clipboard,
     * automatic resolution, orderly shutdown), an absolute pointer, USB redirection channels on an
     * xHCI controller, and an HD Audio card whose sound goes through SPICE (playback and
     * microphone). The connection never leaves the machine, so images and sound go uncompressed.
     */
    private static List<String> spice(DeskSpec.Display d, DeskFiles files) {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("-object", "secret,id=spicepw,format=raw,file=" + escape(files.spiceSecret())));
        a.addAll(List.of(
                "-spice",
                "unix=on,addr=" + escape(d.socket()) + ",password-secret=spicepw"
                        + ",image-compression=off,jpeg-wan-compression=never,zlib-glz-wan-compression=never"
                        + ",playback-compression=off,seamless-migration=off"));
        a.addAll(List.of("-vga", "none", "-device", "qxl-vga,id=video0"));
        // Windows drives one QXL card per monitor (Linux guests take them too).
        for (int m = 1; m < d.monitors(); m++) a.addAll(List.of("-device", "qxl,id=video" + m));
        a.addAll(List.of(
                "-device",
                "virtio-serial-pci,id=vser0",
                "-chardev",
                "spicevmc,id=vdagent,name=vdagent",
                "-device",
                "virtserialport,bus=vser0.0,chardev=vdagent,name=com.redhat.spice.0",
                "-chardev",
                "socket,id=qga0,path=" + escape(files.guestAgentSocket()) + ",server=on,wait=off",
                "-device",
                "virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0"));
        // An absolute pointer, so the mouse is where the owner sees it.
        a.addAll(List.of("-device", "qemu-xhci,id=usb,p2=8,p3=8", "-device", "usb-tablet,bus=usb.0"));
        for (int r = 1; r <= USB_REDIRECTS; r++) {
            a.addAll(List.of(
                    "-chardev",
                    "spicevmc,id=usbredir" + r + ",name=usbredir",
                    "-device",
                    "usb-redir,chardev=usbredir" + r + ",id=redir" + r + ",bus=usb.0"));
        }
        a.addAll(List.of(
                "-audiodev",
                "spice,id=audio0",
                "-device",
                "ich9-intel-hda,id=sound0",
                "-device",
                "hda-duplex,audiodev=audio0,bus=sound0.0"));
        return a;
    }

    /**
     * What later versions added, last on the line so that every earlier device keeps its PCI
     * address: a second QMP monitor for root's tools (monitors are not part of the machine); the
     * guest's input reports, a virtio-serial port {@code org.cyphon.presence.0} on a controller of
     * its own (a port added to the session's controller would not match the port map a saved state
     * carries), backed by a socket in the 0700 state directory that only the agent reads; and one
     * free PCIe slot, so a device can be added while the VM runs ({@code device_add}: q35's root bus
     * takes none).
     */
    private static List<String> afterward(DeskFiles files) {
        return List.of(
                "-qmp",
                "unix:" + escape(files.adminQmpSocket()) + ",server=on,wait=off",
                "-device",
                "virtio-serial-pci,id=vserinput",
                "-chardev",
                "socket,id=presence,path=" + escape(files.presenceSocket()) + ",server=on,wait=off",
                "-device",
                "virtserialport,bus=vserinput.0,chardev=presence,name=" + PRESENCE_PORT,
                "-device",
                "pcie-root-port,id=hotplug0,chassis=1");
    }

    /** The virtio-serial port the guest tools write input reports to ({@code docs/guest-tools}). */
    static final String PRESENCE_PORT = "org.cyphon.presence.0";

    /** USB devices the owner can hand to the guest at once (a stick, a smart-card reader, a headset, ...). */
    static final int USB_REDIRECTS = 4;

    /** The word in QEMU's {@code -name} that identifies this desk's process. */
    static String marker(DeskSpec spec) {
        return "cyphon-desk-" + spec.name();
    }

    /** QEMU option values separate keys with commas; a comma inside a value is written twice. */
    private static String escape(Path path) {
        return path.toString().replace(",", ",,");
    }
}
