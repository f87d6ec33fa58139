package org.acme.resilience.observe;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.policy.ResilienceConfig;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;


/** The state of every circuit of this service, and the operator's reset (closed unless an admin token is set). */
@Path("/resilience/circuits")
@Produces(MediaType.APPLICATION_JSON)
public class CircuitsResource {

    public static final String ADMIN_TOKEN_HEADER = "X-Admin-Token";

    private final DownstreamGuards guards;
    private final ResilienceConfig config;

    public CircuitsResource(DownstreamGuards guards, ResilienceConfig config) {
        this.guards = guards;
        this.config = config;
    }

    @GET
    @Operation(summary = "State, policy and counts of the circuit of every downstream this service calls")
    public List<CircuitView> list() {
        return guards.all().stream().map(CircuitView::of).toList();
    }

    @POST
    @Path("/{name}/reset")
    @Operation(summary = "Close a circuit by hand (operator; needs the admin token)")
    public CircuitView reset(@PathParam("name") String name, @HeaderParam(ADMIN_TOKEN_HEADER) String token) {
        String expected = config.admin().token().orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "operator endpoints are disabled"));
        if (token == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "missing or wrong " + ADMIN_TOKEN_HEADER);
        }
        var guard = guards.all().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no circuit named " + name));
        guard.reset();
        return CircuitView.of(guard);
    }
}
