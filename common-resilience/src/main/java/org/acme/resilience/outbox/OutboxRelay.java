package org.acme.resilience.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.resilience.events.DomainEvent;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Moves committed outbox rows to RabbitMQ, oldest first, and marks a row published only after the broker confirmed it
 * (publisher confirms). A relay first claims a batch for a lease (a short transaction with {@code SKIP LOCKED}), so
 * several instances of a service relay side by side without publishing the same rows, then publishes with no
 * transaction open; a row whose publish failed, or whose relay died, is claimed again once its lease expires.
 *
 * <p>Delivery is at least once: a crash between the confirm and the commit republishes the row, which consumers
 * recognise by its event id.
 *
 * <p>A confirm means a queue holds the event: {@code domain_events} has the alternate exchange
 * {@code domain_events.unrouted} (see {@link org.acme.resilience.topology.Topology}), so an event no consumer queue is
 * bound for waits in the queue of that name (gauge {@code events_unrouted}) instead of being confirmed and dropped
 * — the same meaning {@link org.acme.resilience.consume.DeadLetters} gives a confirm, through mandatory publishing,
 * on exchanges that have no alternate.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int PERSISTENT = 2;

    private final MutinyEmitter<String> emitter;
    private final EntityManager em;
    private final int batchSize;
    private final Duration confirmTimeout;
    private final Duration claim;
    private final Clock clock;
    private final AtomicBoolean brokerReachable = new AtomicBoolean(true);
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(@Channel(DomainEventsChannel.OUTGOING) MutinyEmitter<String> emitter, EntityManager em,
            OutboxConfig config, Clock clock) {
        this.emitter = emitter;
        this.em = em;
        this.batchSize = config.relay().batchSize();
        this.confirmTimeout = config.relay().confirmTimeout();
        this.claim = config.relay().claim();
        this.clock = clock;
    }

    /**
     * Safety net: publishes whatever is pending, e.g. rows left when the broker was away or the service stopped
     * between a commit and its wake-up call.
     */
    @Scheduled(every = "${outbox.relay.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relayPending() {
        drain();
    }

    /** Called after a transaction that appended events committed: publishes them now rather than at the next poll. */
    void wake() {
        if (wakeUpPending.compareAndSet(false, true)) {
            waker.execute(() -> {
                wakeUpPending.set(false);
                drain();
            });
        }
    }

    private synchronized void drain() {
        int published;
        do {
            published = publishBatch();
        } while (published == batchSize);
    }

    @PreDestroy
    void stop() {
        waker.shutdown();
    }

    /** Publishes up to one batch of pending rows and returns how many the broker confirmed. */
    public int publishBatch() {
        List<Claimed> batch;
        try {
            batch = QuarkusTransaction.requiringNew().call(this::claimBatch);
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay cannot read the outbox: %s", e.getMessage());
            return 0;
        }
        if (batch.isEmpty()) {
            return 0;
        }
        // No transaction is open while waiting for the broker: the claim keeps other relays off these rows.
        List<Uni<UUID>> sends = new ArrayList<>(batch.size());
        for (Claimed row : batch) {
            sends.add(emitter.sendMessage(toMessage(row))
                    .replaceWith(row.id())
                    .onFailure().recoverWithItem((UUID) null));
        }
        List<UUID> confirmed;
        try {
            confirmed = Uni.join().all(sends).andFailFast().await().atMost(confirmTimeout).stream()
                    .filter(Objects::nonNull).toList();
        } catch (RuntimeException e) {
            confirmed = List.of();
        }
        if (!confirmed.isEmpty()) {
            List<UUID> published = confirmed;
            try {
                QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                        "update OutboxMessage set publishedAt = current_timestamp, claimedUntil = null "
                                + "where id in :ids")
                        .setParameter("ids", published)
                        .executeUpdate());
            } catch (RuntimeException e) {
                // Published but not marked (database gone meanwhile): the rows are published again once their claim
                // expires, and consumers recognise the duplicates by event id.
                LOG.warnf("Outbox relay could not mark %d published event(s), they will be published again: %s",
                        published.size(), e.getMessage());
                return 0;
            }
        }
        if (confirmed.size() == batch.size()) {
            if (brokerReachable.compareAndSet(false, true)) {
                LOG.info("Outbox relay is publishing again");
            }
        } else if (brokerReachable.compareAndSet(true, false)) {
            LOG.warnf("Outbox relay: the broker confirmed %d of %d events, the rest stay in the outbox and are "
                    + "retried", confirmed.size(), batch.size());
        }
        return confirmed.size();
    }

    /** A row claimed for publishing, with its place in the order events go out. */
    private record Claimed(UUID id, String type, String payload, long seq) {
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claimBatch() {
        List<Object[]> rows = em.createNativeQuery("""
                update outbox set claimed_until = now() + make_interval(secs => ?1), attempts = attempts + 1
                where id in (select id from outbox
                             where published_at is null and (claimed_until is null or claimed_until < now())
                             order by seq limit ?2
                             for update skip locked)
                returning id, type, payload::text, seq""")
                .setParameter(1, claim.toNanos() / 1e9)
                .setParameter(2, batchSize)
                .getResultList();
        return rows.stream()
                .map(r -> new Claimed((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue()))
                .sorted(Comparator.comparingLong(Claimed::seq))
                .toList();
    }

    private Message<String> toMessage(Claimed row) {
        OutgoingRabbitMQMetadata metadata = new OutgoingRabbitMQMetadata.Builder()
                .withRoutingKey(row.type())
                .withMessageId(row.id().toString())
                .withType(row.type())
                .withContentType(DomainEvent.CONTENT_TYPE)
                .withDeliveryMode(PERSISTENT)
                .withTimestamp(ZonedDateTime.now(clock))
                .build();
        return Message.of(row.payload(), Metadata.of(metadata));
    }
}
