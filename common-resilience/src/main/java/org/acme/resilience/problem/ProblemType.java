package org.acme.resilience.problem;

/**
 * The kinds of problem any service may report: HTTP-level and resilience failures, never a business refusal (those are
 * declared by the service that raises them, see {@link ProblemKind}). The URI is what clients branch on; the title
 * never varies per request.
 */
public final class ProblemType {

    public static final ProblemKind MALFORMED_REQUEST = new ProblemKind("malformed-request", 400, "Malformed request");
    public static final ProblemKind VALIDATION_FAILED = new ProblemKind("validation-failed", 400, "Validation failed");
    public static final ProblemKind UNAUTHORIZED = new ProblemKind("unauthorized", 401, "Unauthorized");
    public static final ProblemKind NOT_FOUND = new ProblemKind("not-found", 404, "Resource not found");
    public static final ProblemKind METHOD_NOT_ALLOWED =
            new ProblemKind("method-not-allowed", 405, "Method not allowed");
    public static final ProblemKind NOT_ACCEPTABLE = new ProblemKind("not-acceptable", 406, "Not acceptable");
    public static final ProblemKind CONFLICT = new ProblemKind("conflict", 409, "Conflict");
    public static final ProblemKind UNSUPPORTED_MEDIA_TYPE =
            new ProblemKind("unsupported-media-type", 415, "Unsupported media type");
    public static final ProblemKind DOWNSTREAM_UNAVAILABLE =
            new ProblemKind("downstream-unavailable", 503, "Downstream service unavailable");
    public static final ProblemKind SERVICE_UNAVAILABLE =
            new ProblemKind("service-unavailable", 503, "Service unavailable");
    public static final ProblemKind HTTP_ERROR = new ProblemKind("http-error", 400, "Request failed");
    public static final ProblemKind INTERNAL_ERROR = new ProblemKind("internal-error", 500, "Internal error");

    private ProblemType() {
    }
}
