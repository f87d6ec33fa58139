package org.acme.resilience.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts for one downstream since startup. Every attempt (the first and each retry) ends as exactly one of
 * success, failure or rejection.
 */
public final class CallCounters {

    private final LongAdder calls = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();

    public void call() {
        calls.increment();
    }

    public void success() {
        successes.increment();
    }

    public void failure() {
        failures.increment();
    }

    public void rejection() {
        rejections.increment();
    }

    public void retry() {
        retries.increment();
    }

    public void fallback() {
        fallbacks.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(calls.sum(), successes.sum(), failures.sum(), rejections.sum(), retries.sum(),
                fallbacks.sum());
    }

    /**
     * @param calls guarded calls made by the service (each may have several attempts)
     * @param successes attempts that got an answer, a 4xx business answer included
     * @param failures attempts that failed technically (5xx, timeout, connection, no instance)
     * @param rejections attempts refused locally: circuit open or bulkhead full
     */
    public record Snapshot(long calls, long successes, long failures, long rejections, long retries, long fallbacks) {
    }
}
