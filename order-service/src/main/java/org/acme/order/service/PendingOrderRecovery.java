package org.acme.order.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.order.config.SagaConfig;
import org.acme.resilience.problem.ProblemMappers;
import org.acme.resilience.schema.SchemaReady;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Finishes sagas that a crash interrupted: an order PENDING for longer than a live saga can take is cancelled with
 * its {@code order.cancelled}, which makes payment-service refund it if it was charged. Runs once the schema is ready
 * and then periodically, so no order stays PENDING, whichever instance created it.
 */
@ApplicationScoped
public class PendingOrderRecovery {

    static final String RECOVERY_REASON = "saga interrupted (order-service restarted); cancelled by recovery";
    private static final Logger LOG = Logger.getLogger(PendingOrderRecovery.class);

    private final Orders orders;
    private final SagaConfig config;

    public PendingOrderRecovery(Orders orders, SagaConfig config) {
        this.orders = orders;
        this.config = config;
    }

    /** The first pass, as soon as the tables are there: at the start, or once the database is reachable. */
    void onSchemaReady(@Observes SchemaReady ready) {
        recover();
    }

    @Scheduled(every = "${order.saga.recovery-interval}", delayed = "${order.saga.recovery-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodically() {
        try {
            recover();
        } catch (RuntimeException e) {
            if (!ProblemMappers.databaseUnreachable(e)) {
                throw e;
            }
            // the next pass will do what this one could not: one line, not a stack trace per pass
            LOG.warnf("Pending orders not checked: the database cannot be reached (%s)", e.getMessage());
        }
    }

    /** @return how many orders were cancelled */
    public int recover() {
        int cancelled = 0;
        for (UUID id : orders.pendingLongerThan(config.staleAfter())) {
            orders.cancel(id, RECOVERY_REASON, null);
            cancelled++;
        }
        if (cancelled > 0) {
            LOG.warnf("Cancelled %d order(s) left PENDING by an interrupted saga", cancelled);
        }
        return cancelled;
    }
}
