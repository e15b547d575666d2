package org.cyphon.coordinator.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store writer's queue: two lines, prompt and ordinary, each first in, first out. A batch is
 * taken from the prompt line while it holds anything, else from the ordinary one, never mixing
 * the two, at most {@code maxBatch} at a time. Many threads add; one thread (the writer) takes.
 */
final class WriteQueue<T> {
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final ArrayDeque<T> prompt = new ArrayDeque<>();
    private final ArrayDeque<T> ordinary = new ArrayDeque<>();

    WriteQueue(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    void add(T item, boolean isPrompt) {
        lock.lock();
        try {
            (isPrompt ? prompt : ordinary).addLast(item);
            added.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the next batch into {@code into}, waiting up to {@code wait} for one.
     *
     * @return false when nothing came in time
     */
    boolean takeBatch(List<T> into, long wait, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(wait);
            while (prompt.isEmpty() && ordinary.isEmpty()) {
                if (nanos <= 0) return false;
                nanos = added.awaitNanos(nanos);
            }
            ArrayDeque<T> line = prompt.isEmpty() ? ordinary : prompt;
            for (int n = 0; n < maxBatch && !line.isEmpty(); n++) into.add(line.pollFirst());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Puts ordinary items taken in a batch but not written back at the head of their line, in their order. */
    void putBack(List<T> items) {
        lock.lock();
        try {
            for (int i = items.size() - 1; i >= 0; i--) ordinary.addFirst(items.get(i));
        } finally {
            lock.unlock();
        }
    }

    boolean promptWaiting() {
        lock.lock();
        try {
            return !prompt.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Everything still waiting, prompt first, leaving the queue empty. */
    List<T> takeAll() {
        lock.lock();
        try {
            List<T> all = new ArrayList<>(prompt);
            all.addAll(ordinary);
            prompt.clear();
            ordinary.clear();
            return all;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return prompt.size() + ordinary.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }
}
