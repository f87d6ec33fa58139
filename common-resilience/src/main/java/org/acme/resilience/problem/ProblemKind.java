package org.acme.resilience.problem;

/**
 * A kind of problem: the status it answers with, its fixed title and the {@code type} URI clients branch on. The
 * kinds every service shares are {@link ProblemType}; a service declares the kinds only it raises in its own enum
 * implementing this, so each problem type is owned by the service that raises it.
 */
public interface ProblemKind {

    int status();

    String title();

    /** {@code /problems/<name>}, stable. */
    String uri();
}
