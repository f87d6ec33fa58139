package org.acme.order;

import org.acme.resilience.problem.ProblemKind;

/** The problems only order-service raises; their {@code type}s are order-service's. */
public enum OrderProblems implements ProblemKind {

    /** An order for a user user-service does not know. */
    UNKNOWN_USER(422, "Unknown user"),

    /** An order for a user an operator blocked. */
    USER_BLOCKED(422, "User blocked"),

    /** The order's total (the sum of its items) is more than order-service takes in one order. */
    TOTAL_OVER_LIMIT(422, "Total over the limit"),

    /** An {@code Idempotency-Key} the user already sent with another request (IETF draft semantics). */
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),

    /** A repeat of an {@code Idempotency-Key} whose first request is still being processed. */
    IDEMPOTENCY_KEY_IN_USE(409, "Idempotency key in use"),

    /** A dashboard session opened with the viewer token asked for a control only the admin token may use. */
    READ_ONLY_SESSION(403, "Read-only session"),

    /** As many pages as {@code order.dashboard.max-watchers} watch the event stream already; sent with Retry-After. */
    TOO_MANY_WATCHERS(503, "Too many watchers");

    private final int status;
    private final String title;

    OrderProblems(int status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
