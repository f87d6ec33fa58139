package org.acme.order.messaging;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.order.config.UserStatusConfig;
import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.EventCodec;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.acme.resilience.topology.WatcherQueue;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The user statuses this instance has heard of, from {@code user.status-changed} on a queue of its own
 * ({@code order-service.user-status.<uuid>}: every instance hears every change, as a cache eviction broadcast must).
 * It tells the user cache two things: the last status version announced per user, and since when it has been
 * listening without a gap. While it is not connected it has heard nothing, so it cannot vouch for any cached answer.
 */
@ApplicationScoped
public class UserStatusFeed {

    public static final String STATUS_CHANGED = "user.status-changed";
    /** The per-instance queue: bounded, since it only carries evictions; a lost one fails safe (see mayTrust). */
    public static final WatcherQueue QUEUE = new WatcherQueue("order-service.user-status", List.of(STATUS_CHANGED),
            10_000);

    private static final Logger LOG = Logger.getLogger(UserStatusFeed.class);
    private static final Topology TOPOLOGY = Topology.domainEvents("");

    private final ConnectionFactory factory;
    private final EventCodec codec;
    private final Clock clock;
    private final UserStatusConfig config;
    private final Map<Long, Long> lastVersion = new ConcurrentHashMap<>();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant listeningSince;
    private Connection connection;

    public UserStatusFeed(ConnectionFactory factory, EventCodec codec, Clock clock, UserStatusConfig config) {
        this.factory = factory;
        this.codec = codec;
        this.clock = clock;
        this.config = config;
        factory.setAutomaticRecoveryEnabled(false); // a gap is a gap: reconnect() starts a new queue and a new era
        factory.setConnectionTimeout(2_000);
    }

    /** {@code listener} gets the id of every user whose status changed. */
    public void onChange(LongConsumer listener) {
        listeners.add(listener);
    }

    /**
     * Whether an answer about {@code userId} with {@code statusVersion}, fetched at {@code fetchedAt}, is not older than
     * what this instance heard since: it has listened without a gap since before the answer was fetched, and no newer
     * status was announced for the user.
     */
    public boolean mayTrust(long userId, long statusVersion, Instant fetchedAt) {
        Instant since = listeningSince;
        return since != null && !since.isAfter(fetchedAt) && lastVersion.getOrDefault(userId, -1L) <= statusVersion;
    }

    /** The last status version announced for {@code userId}, if one was heard. */
    public Optional<Long> lastVersion(long userId) {
        return Optional.ofNullable(lastVersion.get(userId));
    }

    public boolean listening() {
        return listeningSince != null;
    }

    void onStart(@Observes StartupEvent start) {
        reconnect();
    }

    /** Connects when it is not: at startup, and every few seconds while the broker is away. */
    @Scheduled(every = "${order.user-status.reconnect-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void reconnect() {
        if (connection != null && connection.isOpen()) {
            return;
        }
        try {
            connection = factory.newConnection("order-service-user-status");
            connection.addShutdownListener(cause -> {
                listeningSince = null;
                if (!cause.isInitiatedByApplication()) {
                    LOG.warnf("User status feed lost (%s): cached users are not served until it is back",
                            cause.getMessage());
                }
            });
            TopologyDeclarer.declareExchanges(connection, TOPOLOGY);
            Channel channel = connection.createChannel();
            String queue = QUEUE.declare(channel, TOPOLOGY.exchange());
            Instant since = clock.instant(); // from here on nothing is missed: the queue is bound
            channel.basicConsume(queue, true, (tag, delivery) -> heard(delivery.getBody()), tag -> {
            });
            listeningSince = since;
            LOG.infof("Listening to %s on %s", STATUS_CHANGED, queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            listeningSince = null;
            LOG.warnf("User status feed not connected yet (%s): cached users are not served until it is; trying "
                    + "again every %s", e.getMessage(), config.reconnectInterval());
            close();
        }
    }

    private void heard(byte[] body) {
        try {
            DomainEvent event = codec.decode(body);
            if (!STATUS_CHANGED.equals(event.type())) {
                return;
            }
            JsonNode data = codec.data(event, JsonNode.class);
            long userId = data.path("userId").asLong(-1);
            long version = data.path("statusVersion").asLong(-1);
            if (userId < 0 || version < 0) {
                LOG.warnf("Ignoring %s %s without userId/statusVersion", STATUS_CHANGED, event.id());
                return;
            }
            lastVersion.merge(userId, version, Math::max);
            listeners.forEach(listener -> listener.accept(userId));
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring an unreadable %s: %s", STATUS_CHANGED, e.getMessage());
        }
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the user status feed: %s", e.getMessage());
            }
        }
        connection = null;
    }
}
