package org.acme.resilience.problem;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every exception that reaches the REST layer into an {@code application/problem+json} response: bad input is
 * a 4xx naming what is wrong, and nothing, not even a bug, leaks a stack trace to the client.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** A hint only: nobody knows how long an outage lasts, and a caller's own backoff spreads the retries. */
    private static final int DATABASE_RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        ProblemKind type = ProblemType.VALIDATION_FAILED;
        return respond(new Problem(type.uri(), type.title(), type.status(), detail, errors));
    }

    /** Wrong types and formats inside valid JSON; takes precedence over Quarkus's own mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        ProblemKind type = ProblemType.MALFORMED_REQUEST;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping);
            String detail = "field '" + field + "' has a value of the wrong type or format";
            return respond(new Problem(type.uri(), type.title(), type.status(), detail,
                    List.of(new Problem.FieldError(field, "wrong type or format"))));
        }
        return respond(Problem.of(type, "the request body is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request failed with %d", status);
        }
        ProblemKind type = switch (status) {
            case 400 -> ProblemType.MALFORMED_REQUEST;
            case 401 -> ProblemType.UNAUTHORIZED;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 409 -> ProblemType.CONFLICT;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemType.INTERNAL_ERROR : ProblemType.HTTP_ERROR;
        };
        String detail = status >= 500 ? "the request could not be completed" : e.getMessage();
        return respond(new Problem(type.uri(), type.title(), status, detail, List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (databaseUnreachable(e)) {
            // Not a bug but an outage of our own database: "not now", which callers retry, not a 500.
            LOG.warnf("Request refused while the database is unreachable: %s", e.getMessage());
            return databaseUnavailable("the service's database is unreachable; try again");
        }
        LOG.error("Unexpected error while handling a request", e);
        return respond(Problem.of(ProblemType.INTERNAL_ERROR, "the request could not be completed"));
    }

    /** A 503 "not now" with {@code Retry-After}: the service's own database cannot serve the request yet. */
    public static Response databaseUnavailable(String detail) {
        return Response.fromResponse(respond(Problem.of(ProblemType.SERVICE_UNAVAILABLE, detail)))
                .header("Retry-After", DATABASE_RETRY_AFTER_SECONDS).build();
    }

    /**
     * Whether a failure is the database being unreachable: a connection-class SQLState (08xxx), a JDBC connection
     * exception, or the pool giving up waiting for a connection (Agroal says so only in its message).
     */
    public static boolean databaseUnreachable(Throwable e) {
        return databaseUnreachable(e, 0);
    }

    /** Through causes and suppressed exceptions (a failed commit reports its I/O error as suppressed), bounded. */
    private static boolean databaseUnreachable(Throwable e, int depth) {
        if (e == null || depth > 12) {
            return false;
        }
        if (e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || (e instanceof java.sql.SQLException sql && ((sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08"))
                        || String.valueOf(sql.getMessage()).contains("acquisition timeout")))) {
            return true;
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (databaseUnreachable(suppressed, depth + 1)) {
                return true;
            }
        }
        return e.getCause() != e && databaseUnreachable(e.getCause(), depth + 1);
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // "create.request.items[0].quantity" -> "items[0].quantity": drop the method and parameter names.
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
