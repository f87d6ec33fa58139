package org.acme.resilience.problem;

/**
 * A kind of problem: the status it answers with, its fixed title and the {@code type} URI clients branch on. The
 * kinds every service shares are {@link ProblemType}; a service declares the kinds only it raises in its own enum
 * implementing this, so each problem type is owned by the service that raises it.
 */
public interface ProblemKind {

    int status();

    String title();

    /** The constant's name, as an enum has it: the {@code type} URI is derived from it. */
    String name();

    /** {@code /problems/<name>}, stable: {@code TOTAL_OVER_LIMIT} is {@code /problems/total-over-limit}. */
    default String uri() {
        return "/problems/" + name().toLowerCase().replace('_', '-');
    }
}
