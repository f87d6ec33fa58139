package org.acme.order.dashboard;

import java.time.Duration;

/** The event stream has {@code order.dashboard.max-watchers} pages already: 503 with {@code Retry-After}. */
public class TooManyWatchersException extends RuntimeException {

    private final int max;
    private final transient Duration retryAfter;

    public TooManyWatchersException(int max, Duration retryAfter) {
        super(max + " pages watch the event stream already, the most order-service serves at once; close one, or "
                + "try again later", null, false, false);
        this.max = max;
        this.retryAfter = retryAfter;
    }

    public int max() {
        return max;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
