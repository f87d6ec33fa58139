package org.acme.resilience.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Remembers which events a consumer has handled, in the consumer's own database and inside the transaction of the
 * effect, so a redelivered event (same id) is recognised and has no second effect.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager em;

    public ProcessedEvents(EntityManager em) {
        this.em = em;
    }

    /**
     * Records that {@code consumer} handles {@code event} now.
     *
     * @return {@code true} the first time, {@code false} when the event was handled before and must be skipped
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, DomainEvent event) {
        int inserted = em.createNativeQuery(
                "insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, event.id())
                .executeUpdate();
        return inserted == 1;
    }
}
