package org.cyphon.agent.desk;

import java.nio.file.Path;

/**
 * The accelerator a desk starts under, and why: what its configuration asks for, checked against
 * what works on this machine ({@link KvmProbe}).
 *
 * @param accel  {@code KVM} or {@code TCG}, never {@code AUTO}
 * @param reason in words, for status and the log
 */
record AccelChoice(Accel accel, String reason) {

    /**
     * @throws DeskException FAILED when {@code configured} is KVM and KVM does not work here
     */
    static AccelChoice choose(String desk, Accel configured, Path qemuSystem) throws DeskException {
        return switch (configured) {
            case TCG -> new AccelChoice(Accel.TCG, "tcg: set in the desk's configuration");
            case KVM -> {
                KvmProbe.Result kvm = KvmProbe.probe(qemuSystem);
                if (!kvm.usable()) {
                    throw DeskException.failed("desk " + desk + " requires kvm, which does not work here: "
                            + kvm.reason() + " (set accel = \"auto\" or \"tcg\" to run it emulated)");
                }
                yield new AccelChoice(Accel.KVM, kvm.reason());
            }
            case AUTO -> {
                KvmProbe.Result kvm = KvmProbe.probe(qemuSystem);
                yield kvm.usable()
                        ? new AccelChoice(Accel.KVM, kvm.reason())
                        : new AccelChoice(Accel.TCG, "tcg, since " + kvm.reason());
            }
        };
    }

    /**
     * The accelerator to restore a state saved under {@code saved}: the same one, since the machine
     * must be identical.
     *
     * @throws DeskException FAILED when it was KVM and KVM no longer works here
     */
    static AccelChoice forRestore(String desk, Accel saved, String savedReason, Path qemuSystem) throws DeskException {
        if (saved == Accel.KVM) {
            KvmProbe.Result kvm = KvmProbe.probe(qemuSystem);
            if (!kvm.usable())
                throw DeskException.failed(
                        "desk " + desk + " was saved under kvm, which does not work here now: " + kvm.reason());
        }
        return new AccelChoice(saved == null ? Accel.TCG : saved, savedReason);
    }
}
