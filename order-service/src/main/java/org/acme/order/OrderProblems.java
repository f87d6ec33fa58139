package org.acme.order;

import org.acme.resilience.problem.ProblemKind;

/** The problems only order-service raises; their {@code type}s are order-service's. */
public final class OrderProblems {

    /** An order for a user user-service does not know. */
    public static final ProblemKind UNKNOWN_USER = new ProblemKind("unknown-user", 422, "Unknown user");

    /** An order for a user an operator blocked. */
    public static final ProblemKind USER_BLOCKED = new ProblemKind("user-blocked", 422, "User blocked");

    /** The order's total (the sum of its items) is more than order-service takes in one order. */
    public static final ProblemKind TOTAL_OVER_LIMIT = new ProblemKind("total-over-limit", 422, "Total over the limit");

    /** An {@code Idempotency-Key} the user already sent with another request (IETF draft semantics). */
    public static final ProblemKind IDEMPOTENCY_KEY_REUSED =
            new ProblemKind("idempotency-key-reused", 422, "Idempotency key reused");

    /** A repeat of an {@code Idempotency-Key} whose first request is still being processed. */
    public static final ProblemKind IDEMPOTENCY_KEY_IN_USE =
            new ProblemKind("idempotency-key-in-use", 409, "Idempotency key in use");

    /** A dashboard session opened with the viewer token asked for a control only the admin token may use. */
    public static final ProblemKind READ_ONLY_SESSION = new ProblemKind("read-only-session", 403, "Read-only session");

    /** As many pages as {@code order.dashboard.max-watchers} watch the event stream already; sent with Retry-After. */
    public static final ProblemKind TOO_MANY_WATCHERS = new ProblemKind("too-many-watchers", 503, "Too many watchers");

    private OrderProblems() {
    }
}
