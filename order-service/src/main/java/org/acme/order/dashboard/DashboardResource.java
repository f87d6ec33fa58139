package org.acme.order.dashboard;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.order.client.Downstreams;
import org.acme.order.dashboard.SystemCircuits.ServiceCircuits;
import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.manage.ManagementCalls;
import org.acme.resilience.manage.ManagementCalls.Answer;
import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** What the dashboard page ({@code /dashboard/}) reads: circuits of every service, the live event stream, faults. */
@Path("/dashboard")
public class DashboardResource {

    /** The fault injection one payment-service instance runs with now. */
    public record InstanceFaults(String instance, JsonNode faults) {
    }

    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final SystemCircuits circuits;
    private final ManagementCalls management;
    private final LiveEvents events;

    public DashboardResource(SystemCircuits circuits, ManagementCalls management, LiveEvents events) {
        this.circuits = circuits;
        this.management = management;
        this.events = events;
    }

    @GET
    @Path("/circuits")
    @Operation(summary = "The circuits of this instance and of every instance of the services it calls, "
            + "each marked reachable or not")
    public Uni<List<ServiceCircuits>> circuits() {
        return circuits.all();
    }

    /**
     * Every event as it arrives, after a comment sent at once and then every {@link #HEARTBEAT}: a browser sees the
     * stream open before the first event, and no proxy closes a quiet stream as idle.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Every event on domain_events as it arrives (server-sent events, one JSON object each)")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        Multi<OutboundSseEvent> heartbeats = Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(0L), Multi.createFrom().ticks().every(HEARTBEAT))
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        Multi<OutboundSseEvent> domainEvents = events.stream()
                .map(event -> sse.newEventBuilder().mediaType(MediaType.TEXT_PLAIN_TYPE).data(event).build());
        return Multi.createBy().merging().streams(heartbeats, domainEvents);
    }

    /**
     * Sets the fault injection of every payment-service instance (forwarding the admin token). These are management
     * calls, not payment calls: they work while payment-service's circuit is open and do not count in it.
     */
    @PUT
    @Path("/faults")
    @Operation(summary = "Set the fault injection of every payment-service instance (forwards the admin token)")
    public Uni<List<InstanceFaults>> faults(@HeaderParam(AdminToken.HEADER) String token, JsonNode faults) {
        String service = Downstreams.PAYMENT_SERVICE;
        return management.onEveryInstance(service, PaymentFaultsApi.class, api -> api.set(token, faults))
                .map(answers -> {
                    if (answers.isEmpty()) {
                        throw new ProblemException(ProblemType.DOWNSTREAM_UNAVAILABLE,
                                "no " + service + " instance found in discovery");
                    }
                    answers.stream().filter(answer -> !answer.answered()).findFirst()
                            .ifPresent(failed -> fail(service, failed));
                    return answers.stream().map(answer -> new InstanceFaults(answer.instance(), answer.value()))
                            .toList();
                });
    }

    /**
     * A refusal (401 without the right token, 404 where fault injection is off) comes back as it is. The admin token
     * is the operator's own, forwarded: a 401 here answers the operator, unlike a 401 to a business call, which is
     * our misconfiguration ({@link FailureClassifier}).
     */
    private static void fail(String service, Answer<?> failed) {
        int status = refusal(failed.failure());
        String where = failed.instance() == null ? " (discovery)" : " at " + failed.instance();
        String detail = service + where + " "
                + (status > 0 ? "rejected the request with " + status : failed.problem());
        if (status > 0) {
            throw new WebApplicationException(detail, status);
        }
        throw new ProblemException(ProblemType.DOWNSTREAM_UNAVAILABLE, detail);
    }

    /** The status of a 4xx answer, or -1. */
    private static int refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebApplicationException wae && wae.getResponse() != null) {
                int status = wae.getResponse().getStatus();
                return status >= 400 && status < 500 ? status : -1;
            }
        }
        return -1;
    }
}
