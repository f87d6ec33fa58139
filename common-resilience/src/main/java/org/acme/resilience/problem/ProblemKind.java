package org.acme.resilience.problem;

/**
 * A kind of problem: the status it answers with, its fixed title and the {@code type} URI clients branch on. The
 * kinds every service shares are {@link ProblemType}; a service declares the kinds only it raises as constants of its
 * own ({@code OrderProblems}, {@code PaymentProblems}), so each problem type is owned by the service that raises it.
 *
 * @param name the type's name, stable: {@code total-over-limit} is the type {@code /problems/total-over-limit}
 * @param status the HTTP status it answers with
 * @param title a short summary that never varies per request
 */
public record ProblemKind(String name, int status, String title) {

    public String uri() {
        return "/problems/" + name;
    }
}
