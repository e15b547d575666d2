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
     * @param incoming wait for a saved state ({@code -incoming defer}) instead of booting
     */
    static List<String> of(Path qemuSystem, DeskSpec spec, DeskFiles files, Accel accel, boolean incoming) {
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
        // A VGA card even without a remote display: screendump reads its screen.
        a.addAll(List.of("-vga", "std", "-display", "none"));
        switch (spec.display().kind()) {
            case VNC -> a.addAll(List.of("-vnc", "127.0.0.1:" + (spec.display().port() - 5900)));
            case SPICE ->
                a.addAll(List.of("-spice", "port=" + spec.display().port() + ",addr=127.0.0.1,disable-ticketing=on"));
            case NONE -> {}
        }
        if (spec.display().kind() != DeskSpec.DisplayKind.NONE) {
            // An absolute pointer, so the remote mouse is where the person sees it.
            a.addAll(List.of("-device", "qemu-xhci,id=usb", "-device", "usb-tablet,bus=usb.0"));
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
        if (incoming) a.addAll(List.of("-incoming", "defer"));
        return a;
    }

    /** The word in QEMU's {@code -name} that identifies this desk's process. */
    static String marker(DeskSpec spec) {
        return "cyphon-desk-" + spec.name();
    }

    /** QEMU option values separate keys with commas; a comma inside a value is written twice. */
    private static String escape(Path path) {
        return path.toString().replace(",", ",,");
    }
}
