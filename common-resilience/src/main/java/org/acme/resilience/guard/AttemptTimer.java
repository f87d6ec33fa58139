package org.acme.resilience.guard;

import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The clock behind every attempt's deadline: a timing wheel that ticks every {@value #TICK_MILLIS} ms, so a deadline
 * fires at most one tick late. Nearly every deadline is cancelled because the answer comes first, and on a wheel
 * setting and cancelling one is a queue operation that wakes no thread (a {@code ScheduledThreadPoolExecutor} wakes
 * its thread whenever the new deadline is the earliest, which with few calls in flight is every call). The wheel's
 * thread only keeps time: what is due runs on Mutiny's worker pool, where the code that handles a timeout may block.
 */
final class AttemptTimer {

    static final int TICK_MILLIS = 10;

    private static final HashedWheelTimer WHEEL = new HashedWheelTimer(task -> {
        Thread thread = new Thread(task, "downstream-guard-timer");
        thread.setDaemon(true);
        return thread;
    }, TICK_MILLIS, TimeUnit.MILLISECONDS);

    private AttemptTimer() {
    }

    /** Runs {@code task} once {@code nanos} have passed, unless the returned timeout is cancelled first. */
    static Timeout after(long nanos, Runnable task) {
        return WHEEL.newTimeout(due -> Infrastructure.getDefaultExecutor().execute(task), nanos, TimeUnit.NANOSECONDS);
    }
}
