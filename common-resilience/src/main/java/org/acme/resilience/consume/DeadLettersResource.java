package org.acme.resilience.consume;

import java.io.IOException;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.acme.resilience.observe.AdminToken;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Operator view of this service's dead letters, and replay once their cause is fixed. Closed like every operator
 * endpoint: 404 unless an admin token is configured, then only with that token. A service that consumes no events
 * leaves it out at build time with {@code events.dead-letters-endpoint=false}.
 */
@Path("/admin/dead-letters")
@EndpointDisabled(name = "events.dead-letters-endpoint", stringValue = "false")
public class DeadLettersResource {

    private static final Logger LOG = Logger.getLogger(DeadLettersResource.class);

    public record QueueDeadLetters(String queue, String deadLetterQueue, long messages) {
    }

    public record Replayed(String queue, int replayed) {
    }

    private final ReliableConsumer consumer;
    private final DeadLetters deadLetters;
    private final AdminToken admin;

    public DeadLettersResource(ReliableConsumer consumer, DeadLetters deadLetters, AdminToken admin) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.admin = admin;
    }

    @GET
    @Operation(summary = "How many messages wait in each consumer queue's dead-letter queue (operator)")
    public List<QueueDeadLetters> list(@HeaderParam(AdminToken.HEADER) String token) throws IOException {
        admin.check(token);
        List<QueueDeadLetters> result = new java.util.ArrayList<>();
        for (String queue : consumer.queues()) {
            result.add(new QueueDeadLetters(queue, DeadLetters.dlq(queue), deadLetters.deadLetterCount(queue)));
        }
        return result;
    }

    @POST
    @Path("/{queue}/replay")
    @Operation(summary = "Move up to max dead letters of a consumer queue back into it (operator)")
    public Replayed replay(@HeaderParam(AdminToken.HEADER) String token, @PathParam("queue") String queue,
            @QueryParam("max") @DefaultValue("100") int max) throws IOException {
        admin.check(token);
        if (!consumer.queues().contains(queue)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no consumer queue named " + queue);
        }
        if (max < 1 || max > 10_000) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "max must be between 1 and 10000");
        }
        int moved = deadLetters.replay(queue, max);
        LOG.infof("Replayed %d dead letter(s) into %s", moved, queue);
        return new Replayed(queue, moved);
    }
}
