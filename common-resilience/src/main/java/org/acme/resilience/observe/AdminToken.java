package org.acme.resilience.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.policy.ResilienceConfig;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;

/**
 * The guard of every operator endpoint: closed (404, as if it did not exist) unless {@code resilience.admin.token} is
 * set, and then open only to a request carrying that token in {@value #HEADER}. The token is never logged.
 */
@ApplicationScoped
public class AdminToken {

    public static final String HEADER = "X-Admin-Token";

    private final ResilienceConfig config;

    public AdminToken(ResilienceConfig config) {
        this.config = config;
    }

    public boolean configured() {
        return config.admin().token().filter(t -> !t.isBlank()).isPresent();
    }

    /** Whether {@code presented} is the configured token (never, while none is configured). */
    public boolean accepts(String presented) {
        return config.admin().token().filter(t -> !t.isBlank())
                .map(expected -> presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    public void check(String presented) {
        String expected = config.admin().token().filter(t -> !t.isBlank()).orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "operator endpoints are disabled"));
        if (presented == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "missing or wrong " + HEADER);
        }
    }
}
