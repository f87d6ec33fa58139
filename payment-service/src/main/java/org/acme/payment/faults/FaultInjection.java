package org.acme.payment.faults;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.acme.resilience.problem.Problem;
import org.acme.resilience.problem.ProblemKind;
import org.acme.resilience.problem.ProblemType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;

/** Applies the current {@link Faults} to every request under {@code /payments}, before it reaches the resource. */
@ApplicationScoped
public class FaultInjection {

    private static final Logger LOG = Logger.getLogger(FaultInjection.class);

    private final AtomicReference<Faults> current = new AtomicReference<>(Faults.NONE);

    public Faults current() {
        return current.get();
    }

    public Faults set(Faults faults) {
        LOG.warnf("Fault injection on /payments set to latency %d ms, failure rate %.2f, down %s",
                faults.latencyMillis(), faults.failureRate(), faults.down());
        current.set(faults);
        return faults;
    }

    @ServerRequestFilter
    public Uni<Response> inject(ContainerRequestContext request) {
        Faults faults = current.get();
        if (faults == Faults.NONE || !request.getUriInfo().getPath().startsWith("/payments")) {
            return Uni.createFrom().nullItem();
        }
        Uni<Void> wait = faults.latencyMillis() > 0
                ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(faults.latencyMillis()))
                : Uni.createFrom().voidItem();
        return wait.map(ignored -> {
            if (faults.down()) {
                return failure(503, "payment-service is down (fault injection)");
            }
            if (ThreadLocalRandom.current().nextDouble() < faults.failureRate()) {
                return failure(500, "injected failure (fault injection)");
            }
            return null;
        });
    }

    private static Response failure(int status, String detail) {
        ProblemKind type = status == 503 ? ProblemType.SERVICE_UNAVAILABLE : ProblemType.INTERNAL_ERROR;
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), status, detail, java.util.List.of())).build();
    }
}
