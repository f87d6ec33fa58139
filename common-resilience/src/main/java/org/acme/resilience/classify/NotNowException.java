package org.acme.resilience.classify;

import java.time.Duration;
import java.util.Optional;

/**
 * A downstream's "not now" (408, 429, or 503 with {@code Retry-After}) as the guard carries it from an attempt to its
 * retry: the wait the downstream asked for, and whether that wait fits what is left of the call's retry budget. The
 * downstream's own answer stays the cause, so {@link FailureClassifier} judges and describes it as it came.
 */
public final class NotNowException extends RuntimeException {

    private final transient Optional<Duration> retryAfter;
    private final boolean worthRetrying;

    public NotNowException(Throwable answer, Optional<Duration> retryAfter, boolean worthRetrying) {
        super(FailureClassifier.describe(answer), answer, false, false);
        this.retryAfter = retryAfter;
        this.worthRetrying = worthRetrying;
    }

    /** The wait the downstream asked for in {@code Retry-After}, if it said. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** Whether the retry may wait for it: the wait fits the retry's max delay and the call's remaining budget. */
    public boolean worthRetrying() {
        return worthRetrying;
    }
}
