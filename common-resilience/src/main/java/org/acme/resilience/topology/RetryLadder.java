package org.acme.resilience.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer queue's retries of transient failures: attempt {@code n} (1 for the first failure) waits
 * {@code min(initialDelay × factor^(n-1), maxDelay)} in a delay queue, then goes back to the consumer queue alone. Each
 * delay is its own queue with one TTL ({@code <queue>.retry.<delay>}, e.g. {@code payment-service.order-events.retry.4s}),
 * so messages in it expire in order; the name carries the delay, so two configurations never disagree about one queue.
 * After {@code maxAttempts} failed attempts the message is dead-lettered.
 *
 * @param initialDelay wait after the first failure
 * @param factor growth of the wait per attempt, at least 1
 * @param maxDelay cap of the wait (the top rung)
 * @param maxAttempts failed attempts before the message is dead-lettered
 */
public record RetryLadder(Duration initialDelay, double factor, Duration maxDelay, int maxAttempts) {

    /** Rungs above this many are not declared: a factor close to 1 would otherwise make thousands of queues. */
    static final int MAX_RUNGS = 32;

    public RetryLadder {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry delays must be positive and max-delay >= initial-delay");
        }
        if (factor < 1.0 || maxAttempts < 1) {
            throw new IllegalArgumentException("retry factor must be >= 1 and max-attempts >= 1");
        }
    }

    /** The distinct delays, shortest first, the last one {@code maxDelay}. */
    public List<Duration> rungs() {
        List<Duration> rungs = new ArrayList<>();
        for (int n = 0; n < MAX_RUNGS - 1; n++) {
            double millis = initialDelay.toMillis() * Math.pow(factor, n);
            if (millis >= maxDelay.toMillis()) {
                break;
            }
            Duration delay = Duration.ofMillis(Math.round(millis));
            if (!rungs.contains(delay)) {
                rungs.add(delay);
            }
        }
        rungs.add(maxDelay);
        return rungs;
    }

    /** The wait after {@code failedAttempts} (1, 2, ...) failures, before the next attempt. */
    public Duration delayBefore(int failedAttempts) {
        List<Duration> rungs = rungs();
        return rungs.get(Math.min(Math.max(failedAttempts, 1), rungs.size()) - 1);
    }

    /** How long a message may keep failing before it is dead-lettered: the sum of its waits. */
    public Duration patience() {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            total = total.plus(delayBefore(attempt));
        }
        return total;
    }

    /** The delay queue of {@code queue} that holds a message for {@code delay}. */
    public static String rungQueue(String queue, Duration delay) {
        return queue + ".retry." + label(delay);
    }

    static String label(Duration delay) {
        long ms = delay.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
