package org.acme.order.dashboard;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.order.client.PaymentClient;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.observe.CircuitView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** What the dashboard page ({@code /dashboard/}) reads: circuits of every service, the live event stream, faults. */
@Path("/dashboard")
public class DashboardResource {

    /** The circuits of one service. */
    public record ServiceCircuits(String service, List<CircuitView> circuits) {
    }

    private final DownstreamGuards guards;
    private final PaymentClient payments;
    private final LiveEvents events;

    public DashboardResource(DownstreamGuards guards, PaymentClient payments, LiveEvents events) {
        this.guards = guards;
        this.payments = payments;
        this.events = events;
    }

    /**
     * The circuits per service. Only order-service calls other services, so its circuits are all there are; asking
     * the others through their guards every second would also mix the dashboard's polling into the very breakers it
     * shows (a healthy endpoint's answers diluting a failing one's).
     */
    @GET
    @Path("/circuits")
    @Operation(summary = "The circuits of every service that calls others (in this system: order-service)")
    public List<ServiceCircuits> circuits() {
        return List.of(new ServiceCircuits("order-service", guards.all().stream().map(CircuitView::of).toList()));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @Operation(summary = "Every event on domain_events as it arrives (server-sent events, one JSON object each)")
    public Multi<String> stream() {
        return events.stream();
    }

    @PUT
    @Path("/faults")
    @Operation(summary = "Set payment-service's fault injection (forwards the admin token)")
    public Uni<JsonNode> faults(@HeaderParam(AdminToken.HEADER) String token, JsonNode faults) {
        return payments.injectFaults(token, faults);
    }
}
