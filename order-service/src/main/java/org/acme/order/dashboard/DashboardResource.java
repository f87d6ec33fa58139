package org.acme.order.dashboard;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.order.OrderProblems;
import org.acme.order.client.Downstreams;
import org.acme.order.dashboard.SessionCookie.Role;
import org.acme.order.dashboard.SystemCircuits.ServiceCircuits;
import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.manage.ManagementCalls;
import org.acme.resilience.manage.ManagementCalls.Answer;
import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.problem.Problem;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What the dashboard page ({@code /dashboard/}) reads: circuits of every service, the live event stream, faults. Each
 * needs a dashboard session ({@link DashboardSessionResource}) or the admin token header ({@link DashboardAccess});
 * a viewer's session reads, the controls need the admin's.
 */
@Path("/dashboard")
public class DashboardResource {

    /** The fault injection one payment-service instance runs with now. */
    public record InstanceFaults(String instance, JsonNode faults) {
    }

    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final SystemCircuits circuits;
    private final ManagementCalls management;
    private final LiveEvents events;
    private final DashboardAccess access;

    public DashboardResource(SystemCircuits circuits, ManagementCalls management, LiveEvents events,
            DashboardAccess access) {
        this.circuits = circuits;
        this.management = management;
        this.events = events;
        this.access = access;
    }

    @GET
    @Path("/circuits")
    @Operation(summary = "The circuits of this instance and of every instance of the services it calls, "
            + "each marked reachable or not")
    public Uni<List<ServiceCircuits>> circuits(@CookieParam(SessionCookie.NAME) String session,
            @HeaderParam(AdminToken.HEADER) String token) {
        access.require(session, token, Role.VIEWER);
        return circuits.all();
    }

    /**
     * Every event as it arrives, without personal data ({@link EventProjection}), after a comment sent at once and then
     * every {@link #HEARTBEAT}: a browser sees the stream open before the first event, and no proxy closes a quiet
     * stream as idle. Refused before anything is streamed: 404/401 ({@link DashboardAccess}), and 503 with
     * {@code Retry-After} when {@code order.dashboard.max-watchers} pages watch already.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Every event on domain_events as it arrives, without personal data (server-sent events, one "
            + "JSON object each; needs a dashboard session)")
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @CookieParam(SessionCookie.NAME) String session,
            @HeaderParam(AdminToken.HEADER) String token) {
        access.require(session, token, Role.VIEWER);
        Multi<OutboundSseEvent> domainEvents = events.stream()
                .map(event -> sse.newEventBuilder().mediaType(MediaType.TEXT_PLAIN_TYPE).data(event).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(0L), Multi.createFrom().ticks().every(HEARTBEAT)
                        .onOverflow().drop()) // a page that has not read the last one needs no other
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        // One item requested at a time from each: what waits for a slow page waits in its bounded buffer.
        return Multi.createBy().merging().withRequests(1).streams(heartbeats, domainEvents);
    }

    @ServerExceptionMapper
    public Response tooManyWatchers(TooManyWatchersException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(OrderProblems.TOO_MANY_WATCHERS, e.getMessage()))
                .build();
    }

    /**
     * Sets the fault injection of every payment-service instance, forwarding order-service's own admin token (the same
     * on every service): the browser holds only its session cookie. These are management calls, not payment calls:
     * they work while payment-service's circuit is open and do not count in it.
     */
    @PUT
    @Path("/faults")
    @Operation(summary = "Set the fault injection of every payment-service instance (admin session or token; "
            + "forwards order-service's admin token)")
    public Uni<List<InstanceFaults>> faults(@CookieParam(SessionCookie.NAME) String session,
            @HeaderParam(AdminToken.HEADER) String presented, JsonNode faults) {
        access.require(session, presented, Role.ADMIN);
        String token = access.adminToken().orElseThrow(); // an admin session exists only with an admin token
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
     * A refusal (401 where payment-service has another admin token, 404 where fault injection is off) comes back as it
     * is: it answers the operator's request, unlike a 401 to a business call, which is our misconfiguration
     * ({@link FailureClassifier}).
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
