package org.acme.resilience.problem;

/** The kinds of problem the services report. The URI is what clients branch on; the title never varies per request. */
public enum ProblemType implements ProblemKind {

    MALFORMED_REQUEST(400, "Malformed request"),
    VALIDATION_FAILED(400, "Validation failed"),
    UNAUTHORIZED(401, "Unauthorized"),
    NOT_FOUND(404, "Resource not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    UNKNOWN_USER(422, "Unknown user"),
    USER_BLOCKED(422, "User blocked"),
    PAYMENT_NOT_REFUNDABLE(409, "Payment not refundable"),
    DOWNSTREAM_UNAVAILABLE(503, "Downstream service unavailable"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    HTTP_ERROR(400, "Request failed"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
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
