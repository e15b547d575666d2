package org.cyphon.sim.engine;

/**
 * A binary min-heap of events on primitive arrays (millions of events; no boxing). Ordered by
 * time, then kind (owner changes before wake-ups before resumes before arrivals before placement, so a pass sees
 * everything that happened at its instant), then insertion order: the same inputs always replay
 * in the same order.
 */
final class EventQueue {
    static final int OWNER = 0;
    static final int WAKE = 1;
    /** A sleeping desk woken by Wake-on-LAN takes work again: before the pass at its instant. */
    static final int RESUME = 2;

    static final int ARRIVAL = 3;
    static final int PLACE = 4;

    private long[] time = new long[1024];
    private long[] order = new long[1024];
    private int[] kind = new int[1024];
    private int[] target = new int[1024];
    private long[] stamp = new long[1024];
    private int size;
    private long seq;

    boolean isEmpty() {
        return size == 0;
    }

    long peekTime() {
        return time[0];
    }

    void push(long t, int k, int who, long version) {
        if (size == time.length) grow();
        int i = size++;
        long o = ((long) k << 60) | seq++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (less(time[p], order[p], t, o)) break;
            move(p, i);
            i = p;
        }
        set(i, t, o, k, who, version);
    }

    /** Removes the head; read it first with {@link #headKind()} etc. */
    void pop() {
        int last = --size;
        if (last == 0) return;
        long t = time[last];
        long o = order[last];
        int k = kind[last];
        int w = target[last];
        long v = stamp[last];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && less(time[c + 1], order[c + 1], time[c], order[c])) c++;
            if (!less(time[c], order[c], t, o)) break;
            move(c, i);
            i = c;
        }
        set(i, t, o, k, w, v);
    }

    int headKind() {
        return kind[0];
    }

    int headTarget() {
        return target[0];
    }

    long headStamp() {
        return stamp[0];
    }

    private static boolean less(long t1, long o1, long t2, long o2) {
        return t1 < t2 || (t1 == t2 && o1 < o2);
    }

    private void move(int from, int to) {
        set(to, time[from], order[from], kind[from], target[from], stamp[from]);
    }

    private void set(int i, long t, long o, int k, int w, long v) {
        time[i] = t;
        order[i] = o;
        kind[i] = k;
        target[i] = w;
        stamp[i] = v;
    }

    private void grow() {
        int n = time.length * 2;
        time = java.util.Arrays.copyOf(time, n);
        order = java.util.Arrays.copyOf(order, n);
        kind = java.util.Arrays.copyOf(kind, n);
        target = java.util.Arrays.copyOf(target, n);
        stamp = java.util.Arrays.copyOf(stamp, n);
    }
}
