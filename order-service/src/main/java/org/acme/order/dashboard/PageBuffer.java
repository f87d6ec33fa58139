package org.acme.order.dashboard;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The events waiting for one page, at most {@code capacity}: a page that reads slower than events come loses the
 * oldest ones, as a live view should, and the process never holds more than this for it. Items go to the page only
 * as far as it asked for them ({@code requested}); {@link #drain} may be called from any thread, and only one emits at
 * a time.
 */
final class PageBuffer<T> {

    private final int capacity;
    private final LongSupplier requested;
    private final Consumer<T> emit;
    private final ArrayDeque<T> items;
    private final AtomicInteger draining = new AtomicInteger();
    private long dropped;

    PageBuffer(int capacity, LongSupplier requested, Consumer<T> emit) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a page buffer holds at least one event, not " + capacity);
        }
        this.capacity = capacity;
        this.requested = requested;
        this.emit = emit;
        this.items = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** Adds {@code item}, dropping the oldest one if full, and passes on what the page asked for. */
    boolean offer(T item) {
        boolean droppedOne;
        synchronized (items) {
            droppedOne = items.size() == capacity;
            if (droppedOne) {
                items.pollFirst();
                dropped++;
            }
            items.addLast(item);
        }
        drain();
        return droppedOne;
    }

    /** Emits as many waiting items as the page asked for. */
    void drain() {
        if (draining.getAndIncrement() != 0) {
            return; // the thread draining now goes round once more
        }
        do {
            while (requested.getAsLong() > 0) {
                T next;
                synchronized (items) {
                    next = items.pollFirst();
                }
                if (next == null) {
                    break;
                }
                emit.accept(next);
            }
        } while (draining.decrementAndGet() != 0);
    }

    long dropped() {
        synchronized (items) {
            return dropped;
        }
    }

    int size() {
        synchronized (items) {
            return items.size();
        }
    }
}
