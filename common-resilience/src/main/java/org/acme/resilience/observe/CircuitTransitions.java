package org.acme.resilience.observe;

import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.resilience.outbox.Outbox;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Announces every circuit transition: one log line and one {@code resilience.circuit.*} event through the outbox.
 *
 * <p>Transitions happen on whatever thread finished the call that caused them, often an event-loop thread that must
 * not block on the database, so the outbox writes run on one dedicated thread, in the order the transitions happened.
 * A transition while the database is away waits, with those after it, and is written once the database is back: a
 * consumer never sees the chain of transitions broken. What waits is bounded ({@value #MAX_WAITING} transitions; a
 * breaker moves at most a few times per delay), and at shutdown it is written if the database lets it be within
 * {@link #SHUTDOWN_GRACE}; a killed process's circuits go with it, and its successor starts CLOSED.
 */
@ApplicationScoped
public class CircuitTransitions {

    private static final Logger LOG = Logger.getLogger(CircuitTransitions.class);
    static final int MAX_WAITING = 1_000;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final Outbox outbox;
    private final BlockingDeque<CircuitTransition> waiting = new LinkedBlockingDeque<>(MAX_WAITING);
    private final Thread writer = new Thread(this::write, "circuit-transitions");
    private volatile boolean stopping;

    public CircuitTransitions(Outbox outbox) {
        this.outbox = outbox;
        writer.setDaemon(true);
        writer.start();
    }

    void onTransition(@Observes CircuitTransition transition) {
        LOG.infof("Circuit %s: %s -> %s (%s)", transition.downstream(), transition.from(), transition.to(),
                transition.reason());
        if (!waiting.offerLast(transition)) {
            LOG.errorf("Not announcing %s for %s: %d transitions already wait for the database",
                    transition.eventType(), transition.downstream(), MAX_WAITING);
        }
    }

    private void write() {
        boolean failing = false;
        while (!(stopping && waiting.isEmpty())) {
            CircuitTransition next;
            try {
                next = waiting.pollFirst(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                if (record(next)) {
                    failing = false;
                    continue;
                }
                waiting.offerFirst(next); // first again: the order is kept
                if (!failing) {
                    LOG.warnf("Could not record the %s event for %s yet; it and what follows wait, retried every %s",
                            next.eventType(), next.downstream(), RETRY);
                    failing = true;
                }
                if (stopping) {
                    break;
                }
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
        if (!waiting.isEmpty()) {
            LOG.warnf("Stopping with %d circuit transitions not announced: the database could not be reached",
                    waiting.size());
        }
    }

    private boolean record(CircuitTransition transition) {
        try {
            QuarkusTransaction.requiringNew().run(() -> outbox.append(transition.eventType(), transition.downstream(),
                    transition.data()));
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("Recording %s for %s: %s", transition.eventType(), transition.downstream(), e.getMessage());
            return false;
        }
    }

    /** While the database is still there (before the container's beans go): what waits is written, for a while. */
    void onStop(@Observes ShutdownEvent stop) throws InterruptedException {
        stopping = true;
        writer.join(SHUTDOWN_GRACE.toMillis());
    }
}
