package org.cyphon.agent.sensors;

/**
 * The machine's CPU time so far, from the first line of {@code /proc/stat}
 * ({@code cpu user nice system idle iowait irq softirq steal guest guest_nice}, in USER_HZ ticks,
 * summed over all CPUs), and how many CPUs are online ({@code cpuN} lines).
 *
 * <p>Busy is user + nice + system + irq + softirq. Guest time is already inside user and nice, so it
 * is not added again; steal is time the hypervisor gave to someone else, which nobody here used.
 */
record CpuTimes(long busyTicks, long allTicks, int cores) {

    /** USER_HZ: fixed at 100 for user space on every Linux ABI, whatever the kernel's CONFIG_HZ. */
    static final double TICKS_PER_SECOND = 100.0;

    static CpuTimes parse(String procStat) {
        long busy = -1;
        long all = 0;
        int cores = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long user = field(f, 1), nice = field(f, 2), system = field(f, 3), idle = field(f, 4);
                long iowait = field(f, 5), irq = field(f, 6), softirq = field(f, 7);
                busy = user + nice + system + irq + softirq;
                all = busy + idle + iowait;
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        if (busy < 0) throw new IllegalArgumentException("no 'cpu' line in /proc/stat");
        return new CpuTimes(busy, all, Math.max(1, cores));
    }

    private static long field(String[] f, int i) {
        return i < f.length ? Long.parseLong(f[i]) : 0; // old kernels print fewer columns
    }
}
