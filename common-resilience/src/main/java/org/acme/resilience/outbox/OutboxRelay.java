package org.acme.resilience.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.acme.resilience.events.DomainEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.hibernate.jpa.SpecHints;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Moves committed outbox rows to RabbitMQ, oldest first, and marks a row published only after the broker confirmed it
 * (publisher confirms). Rows are locked with {@code SKIP LOCKED}, so several instances of a service relay side by side
 * without publishing the same row at the same time; a row whose publish failed stays and is tried on the next run.
 *
 * <p>Delivery is at least once: a crash between the confirm and the commit republishes the row, which consumers
 * recognise by its event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int PERSISTENT = 2;

    private final MutinyEmitter<String> emitter;
    private final EntityManager em;
    private final int batchSize;
    private final Duration confirmTimeout;
    private final AtomicBoolean brokerReachable = new AtomicBoolean(true);
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxRelay(@Channel(DomainEventsChannel.OUTGOING) MutinyEmitter<String> emitter, EntityManager em,
            @ConfigProperty(name = "outbox.relay.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "outbox.relay.confirm-timeout", defaultValue = "5s") Duration confirmTimeout) {
        this.emitter = emitter;
        this.em = em;
        this.batchSize = batchSize;
        this.confirmTimeout = confirmTimeout;
    }

    /**
     * Safety net: publishes whatever is pending, e.g. rows left when the broker was away or the service stopped
     * between a commit and its wake-up call.
     */
    @Scheduled(every = "${outbox.relay.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
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
        try {
            return QuarkusTransaction.requiringNew().call(this::publishLockedBatch);
        } catch (RuntimeException e) {
            if (brokerReachable.compareAndSet(true, false)) {
                LOG.warnf("Outbox relay cannot publish, events stay in the outbox and are retried: %s", e.getMessage());
            }
            return 0;
        }
    }

    private int publishLockedBatch() {
        List<OutboxMessage> batch = em.createQuery(
                "from OutboxMessage where publishedAt is null order by createdAt", OutboxMessage.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // -2 = SKIP LOCKED
                .setMaxResults(batchSize)
                .getResultList();
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<UUID>> sends = new ArrayList<>(batch.size());
        for (OutboxMessage row : batch) {
            row.attempts++;
            sends.add(emitter.sendMessage(toMessage(row))
                    .replaceWith(row.id)
                    .onFailure().recoverWithItem((UUID) null));
        }
        List<UUID> confirmedIds = Uni.join().all(sends).andFailFast()
                .await().atMost(confirmTimeout);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int confirmed = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (confirmedIds.get(i) != null) {
                batch.get(i).publishedAt = now;
                confirmed++;
            }
        }
        if (confirmed == batch.size()) {
            if (brokerReachable.compareAndSet(false, true)) {
                LOG.info("Outbox relay is publishing again");
            }
        } else if (brokerReachable.compareAndSet(true, false)) {
            LOG.warnf("Outbox relay: the broker confirmed %d of %d events, the rest stay in the outbox and are retried",
                    confirmed, batch.size());
        }
        return confirmed;
    }

    private static Message<String> toMessage(OutboxMessage row) {
        OutgoingRabbitMQMetadata metadata = new OutgoingRabbitMQMetadata.Builder()
                .withRoutingKey(row.type)
                .withMessageId(row.id.toString())
                .withType(row.type)
                .withContentType(DomainEvent.CONTENT_TYPE)
                .withDeliveryMode(PERSISTENT)
                .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                .build();
        return Message.of(row.payload, Metadata.of(metadata));
    }
}
