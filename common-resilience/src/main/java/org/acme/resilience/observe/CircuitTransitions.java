package org.acme.resilience.observe;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.resilience.outbox.Outbox;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Announces every circuit transition: one log line and one {@code resilience.circuit.*} event through the outbox.
 *
 * <p>Transitions happen on whatever thread finished the call that caused them, often an event-loop thread that must
 * not block on the database, so the outbox write runs on one dedicated thread, which also keeps the events in the
 * order the transitions happened.
 */
@ApplicationScoped
public class CircuitTransitions {

    private static final Logger LOG = Logger.getLogger(CircuitTransitions.class);

    private final Outbox outbox;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "circuit-transitions");
        thread.setDaemon(true);
        return thread;
    });

    public CircuitTransitions(Outbox outbox) {
        this.outbox = outbox;
    }

    void onTransition(@Observes CircuitTransition transition) {
        LOG.infof("Circuit %s: %s -> %s (%s)", transition.downstream(), transition.from(), transition.to(),
                transition.reason());
        writer.execute(() -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> outbox.append(transition.eventType(),
                        transition.downstream(), Map.of(
                                "downstream", transition.downstream(),
                                "from", transition.from().name(),
                                "to", transition.to().name(),
                                "reason", transition.reason(),
                                "at", transition.at().toString())));
            } catch (RuntimeException e) {
                LOG.warnf("Could not record the %s event for %s: %s", transition.eventType(), transition.downstream(),
                        e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
