package org.cyphon.agent.desk;

import java.util.Locale;

/** How QEMU runs the guest's CPUs: hardware virtualization (KVM), emulation (TCG), or the best that works here. */
public enum Accel {
    /** KVM when a probe guest really runs under it, else TCG (see {@link KvmProbe}). */
    AUTO,
    /** KVM or nothing: starting fails, naming why, when KVM does not work on this machine. */
    KVM,
    /** Emulation: always works, many times slower than KVM. */
    TCG;

    /** The name used in configuration and status: {@code auto}, {@code kvm}, {@code tcg}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The accelerator named {@code text} ({@code auto}, {@code kvm}, {@code tcg}, any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Accel parse(String text) {
        for (Accel a : values()) {
            if (a.configName().equalsIgnoreCase(text == null ? "" : text.trim())) return a;
        }
        throw new IllegalArgumentException("'" + text + "' is not one of auto, kvm, tcg");
    }
}
