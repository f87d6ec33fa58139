package org.acme.resilience.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.acme.resilience.policy.ResilienceConfig;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;

/**
 * The service token ({@code resilience.service.token}, env {@code RESILIENCE_SERVICE_TOKEN}): what a service sends as
 * {@code Authorization: Bearer <token>} on its calls, and what a service API checks. Closed by default, like the
 * operator endpoints: while no token is configured the API does not exist (404); then a request without the right
 * bearer token is 401. The token is never logged.
 *
 * <p>Demo-grade: a shared secret proves only that the caller was given it. Production uses mutual TLS (or a workload
 * identity such as SPIFFE), which also names which service is calling.
 */
@ApplicationScoped
public class ServiceToken {

    public static final String HEADER = "Authorization";
    private static final String SCHEME = "Bearer ";

    private final Optional<String> token;

    @Inject
    public ServiceToken(ResilienceConfig config) {
        this(config.service().token());
    }

    public ServiceToken(Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    public boolean configured() {
        return token.isPresent();
    }

    /** The {@value #HEADER} value for an outgoing call, or null (no header) when no token is configured. */
    public String authorization() {
        return token.map(t -> SCHEME + t).orElse(null);
    }

    /** Whether {@code authorization} (the request's {@value #HEADER} header) carries the configured token. */
    public boolean accepts(String authorization) {
        if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8), presented);
    }

    /** Lets the request through only with the configured token: 404 while none is configured, else 401. */
    public void check(String authorization) {
        if (token.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "this API is disabled: no service token is configured");
        }
        if (!accepts(authorization)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "missing or wrong service token (" + HEADER
                    + ": Bearer …)");
        }
    }
}
