package org.acme.resilience.problem;

/**
 * The kinds of problem any service may report: HTTP-level and resilience failures, never a business refusal (those are
 * declared by the service that raises them, see {@link ProblemKind}). The URI is what clients branch on; the title
 * never varies per request.
 */
public enum ProblemType implements ProblemKind {

    MALFORMED_REQUEST(400, "Malformed request"),
    VALIDATION_FAILED(400, "Validation failed"),
    UNAUTHORIZED(401, "Unauthorized"),
    NOT_FOUND(404, "Resource not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
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
