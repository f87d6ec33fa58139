package org.acme.resilience.problem;

/** Thrown by service code to answer with a problem of a known kind; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(ProblemKind type, String detail) {
        this(type, detail, java.util.List.of());
    }

    /** A problem naming the offending fields of the request. */
    public ProblemException(ProblemKind type, String detail, java.util.List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.problem = Problem.of(type, detail, errors);
    }

    public Problem problem() {
        return problem;
    }
}
