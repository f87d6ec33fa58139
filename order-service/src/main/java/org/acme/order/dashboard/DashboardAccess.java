package org.acme.order.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.OrderProblems;
import org.acme.order.config.DashboardConfig;
import org.acme.order.dashboard.SessionCookie.Role;
import org.acme.order.dashboard.SessionCookie.Session;
import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.policy.ResilienceConfig;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;

/**
 * Who may use the dashboard's data and controls: closed (404) unless the admin token
 * ({@code resilience.admin.token}) or the viewer token ({@code order.dashboard.viewer-token}) is configured; then a
 * request needs a session cookie ({@link SessionCookie}) or, from a script, the admin token in {@value AdminToken#HEADER}
 * (401 without); a viewer's session reads, and is refused the controls (403). Tokens are compared in constant time and
 * never logged.
 */
@ApplicationScoped
public class DashboardAccess {

    private final AdminToken admin;
    private final Optional<String> adminToken;
    private final Optional<String> viewerToken;
    private final SessionCookie cookies;

    public DashboardAccess(AdminToken admin, ResilienceConfig resilience, DashboardConfig config, Clock clock) {
        this.admin = admin;
        this.adminToken = resilience.admin().token().filter(t -> !t.isBlank());
        this.viewerToken = config.viewerToken().filter(t -> !t.isBlank());
        // Without a secret of its own the key comes from the tokens: a new token ends the sessions of the old one.
        String secret = config.sessionSecret().filter(s -> !s.isBlank())
                .orElseGet(() -> adminToken.orElse("") + "\u0000" + viewerToken.orElse(""));
        this.cookies = new SessionCookie(secret.getBytes(StandardCharsets.UTF_8), config.sessionTtl(), clock);
    }

    SessionCookie cookies() {
        return cookies;
    }

    /** The role {@code token} opens a session for; 404 while the dashboard is closed, 401 for a wrong token. */
    Role exchange(String token) {
        requireOpen();
        if (admin.accepts(token)) {
            return Role.ADMIN;
        }
        if (viewerToken.filter(expected -> matches(expected, token)).isPresent()) {
            return Role.VIEWER;
        }
        throw new ProblemException(ProblemType.UNAUTHORIZED, "wrong dashboard token");
    }

    /** The caller's session, if it may do what {@code needed} may; else 404, 401 or 403 as the class says. */
    Session require(String cookie, String adminHeader, Role needed) {
        requireOpen();
        Session session;
        if (adminHeader != null) {
            if (!admin.accepts(adminHeader)) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "wrong " + AdminToken.HEADER);
            }
            session = new Session(Role.ADMIN, null);
        } else {
            session = cookies.verify(cookie).filter(this::stillConfigured).orElseThrow(
                    () -> new ProblemException(ProblemType.UNAUTHORIZED, "no dashboard session: POST the admin or "
                            + "viewer token to /dashboard/session, or send " + AdminToken.HEADER));
        }
        if (needed == Role.ADMIN && session.role() != Role.ADMIN) {
            throw new ProblemException(OrderProblems.READ_ONLY_SESSION,
                    "this session was opened with the viewer token; the controls need the admin token");
        }
        return session;
    }

    /**
     * The admin token, which order-service forwards to payment-service's operator endpoints on behalf of an admin
     * session (the browser does not hold it).
     */
    Optional<String> adminToken() {
        return adminToken;
    }

    private void requireOpen() {
        if (adminToken.isEmpty() && viewerToken.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND,
                    "the dashboard is disabled: no admin or viewer token is configured");
        }
    }

    /** A session of a role whose token has since been unset is over (its key may still be derivable). */
    private boolean stillConfigured(Session session) {
        return session.role() == Role.ADMIN ? adminToken.isPresent() : viewerToken.isPresent();
    }

    private static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
