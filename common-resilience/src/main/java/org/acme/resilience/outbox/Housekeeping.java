package org.acme.resilience.outbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.resilience.events.EventsConfig;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the outbox and the consumers' memory of handled events from growing without end: deletes outbox rows
 * published longer ago than {@code outbox.retention}, and handled event ids older than {@code events.processed.retention}
 * (far longer than any redelivery takes: a relay republishes within its claim's lease), every
 * {@code housekeeping.interval}, in batches of short transactions so it never holds many locks. Unpublished rows are
 * never touched, however old. Ages are measured by the database's clock, which stamped the rows.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final EntityManager em;
    private final Duration outboxRetention;
    private final Duration processedRetention;
    private final int batchSize;

    public Housekeeping(EntityManager em, OutboxConfig outbox, EventsConfig events, HousekeepingConfig config) {
        this.em = em;
        this.outboxRetention = outbox.retention();
        this.processedRetention = events.processed().retention();
        this.batchSize = config.batchSize();
    }

    /** What one pass deleted. */
    public record Deleted(int outboxRows, int processedEvents) {
    }

    @Scheduled(every = "${housekeeping.interval}", delayed = "${housekeeping.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            Deleted deleted = run();
            if (deleted.outboxRows() + deleted.processedEvents() > 0) {
                LOG.infof("Housekeeping deleted %d published outbox rows and %d handled event ids",
                        deleted.outboxRows(), deleted.processedEvents());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Housekeeping failed, trying again in the next pass: %s", e.getMessage());
        }
    }

    /** One pass: deletes everything past its retention, in as many batches as it takes. */
    public Deleted run() {
        int outbox = deleteInBatches("""
                delete from outbox where id in (select id from outbox
                    where published_at < now() - make_interval(secs => ?1) limit ?2)""", outboxRetention);
        int processed = deleteInBatches("""
                delete from processed_event where (consumer, event_id) in (select consumer, event_id from processed_event
                    where processed_at < now() - make_interval(secs => ?1) limit ?2)""", processedRetention);
        return new Deleted(outbox, processed);
    }

    private int deleteInBatches(String sql, Duration olderThan) {
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql)
                    .setParameter(1, olderThan.toNanos() / 1e9)
                    .setParameter(2, batchSize)
                    .executeUpdate());
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
