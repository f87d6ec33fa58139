package org.acme.resilience.observe;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;


/** The state of every circuit of this service, and the operator's reset (closed unless an admin token is set). */
@Path("/resilience/circuits")
@Produces(MediaType.APPLICATION_JSON)
public class CircuitsResource {

    private final DownstreamGuards guards;
    private final AdminToken admin;

    public CircuitsResource(DownstreamGuards guards, AdminToken admin) {
        this.guards = guards;
        this.admin = admin;
    }

    @GET
    @Operation(summary = "State, policy and counts of the circuit of every downstream this service calls")
    public List<CircuitView> list() {
        return guards.all().stream().map(CircuitView::of).toList();
    }

    @POST
    @Path("/{name}/reset")
    @Operation(summary = "Close a circuit by hand (operator; needs the admin token)")
    public CircuitView reset(@PathParam("name") String name, @HeaderParam(AdminToken.HEADER) String token) {
        admin.check(token);
        var guard = guards.all().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no circuit named " + name));
        guard.reset();
        return CircuitView.of(guard);
    }
}
