package org.acme.order.dashboard;

import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.acme.order.dashboard.SessionCookie.Role;
import org.acme.order.dashboard.SessionCookie.Session;
import org.acme.resilience.observe.AdminToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's session: the page posts the admin or viewer token once and gets an HttpOnly cookie, since a
 * browser's {@code EventSource} cannot send a header. {@code SameSite=Strict} keeps other sites' pages from using it
 * (the controls are not reachable cross-site), and {@code Path=/dashboard} keeps it off every other request.
 */
@Path("/dashboard/session")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardSessionResource {

    /** What {@code POST /dashboard/session} takes: the admin token or the viewer token. */
    public record Credentials(String token) {
    }

    /** The caller's session: {@code admin} or {@code viewer}, and when it ends (none for the admin token header). */
    public record SessionView(String role, Instant expiresAt) {
    }

    private final DashboardAccess access;

    public DashboardSessionResource(DashboardAccess access) {
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange the admin or viewer token for a session cookie (204; 401 wrong token; 404 when "
            + "no token is configured)")
    public Response open(Credentials credentials, @Context UriInfo request) {
        Role role = access.exchange(credentials == null ? null : credentials.token());
        SessionCookie cookies = access.cookies();
        return Response.noContent().cookie(cookie(cookies.issue(role), (int) cookies.ttl().toSeconds(),
                "https".equals(request.getRequestUri().getScheme()))).build();
    }

    @GET
    @Operation(summary = "The role and expiry of the caller's dashboard session (401 without one)")
    public SessionView current(@CookieParam(SessionCookie.NAME) String cookie,
            @HeaderParam(AdminToken.HEADER) String adminToken) {
        Session session = access.require(cookie, adminToken, Role.VIEWER);
        return new SessionView(session.role().label(), session.expiresAt());
    }

    @DELETE
    @Operation(summary = "End the dashboard session: its cookie is cleared")
    public Response close(@Context UriInfo request) {
        return Response.noContent()
                .cookie(cookie("", 0, "https".equals(request.getRequestUri().getScheme()))).build();
    }

    /** Secure when the page came over HTTPS; a plain-HTTP local dashboard would never get a Secure cookie back. */
    private static NewCookie cookie(String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(SessionCookie.NAME)
                .value(value)
                .path(SessionCookie.PATH)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
