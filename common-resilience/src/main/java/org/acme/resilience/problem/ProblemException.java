package org.acme.resilience.problem;

/** Thrown by service code to answer with a problem of a known kind; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.problem = Problem.of(type, detail);
    }

    public Problem problem() {
        return problem;
    }
}
