package org.acme.resilience.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the one error body every service returns ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem, stable for clients to branch on
 * @param title a short summary of that kind
 * @param status the HTTP status code
 * @param detail what went wrong with this request
 * @param errors the offending fields, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemKind type, String detail) {
        return of(type, detail, List.of());
    }

    public static Problem of(ProblemKind type, String detail, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, errors);
    }
}
