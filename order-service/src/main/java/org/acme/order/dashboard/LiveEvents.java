package org.acme.order.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.json.JsonObject;

/**
 * Every message on {@code domain_events}, as it happens, for the dashboard. Each watching page gets its own
 * exclusive, self-deleting queue ({@code order-service.dashboard.<uuid>}) bound to {@code #}, for as long as it
 * watches: nobody watching costs the system nothing, and nothing is kept: a page sees what arrives while it watches.
 * When the broker goes away the stream fails, and the page's EventSource reconnects with a new queue.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    private static final Topology TOPOLOGY = Topology.domainEvents("");

    private final ConnectionFactory factory;
    private final AtomicInteger watchers = new AtomicInteger();
    private Connection connection;

    public LiveEvents(ConnectionFactory factory) {
        this.factory = factory;
        factory.setAutomaticRecoveryEnabled(false); // a broken stream is failed; the page reconnects
        factory.setConnectionTimeout(2_000); // and while the broker is away, each attempt fails fast
    }

    /** One JSON object per event: {@code routingKey} and the raw {@code body}. */
    public Multi<String> stream() {
        return Multi.createFrom().<String> emitter(this::watch)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()); // connecting blocks
    }

    /** How many pages are watching now, each with its own queue. */
    public int watchers() {
        return watchers.get();
    }

    private void watch(MultiEmitter<? super String> page) {
        Channel channel = null;
        try {
            channel = connection().createChannel();
            String queue = channel.queueDeclare("order-service.dashboard." + UUID.randomUUID(), false, true, true,
                    null).getQueue();
            // The exchange as the shared topology describes it (with its alternate exchange), as every declarer does.
            TopologyDeclarer.declareExchanges(connection(), TOPOLOGY);
            channel.queueBind(queue, TOPOLOGY.exchange(), "#");
            channel.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    page.fail(cause);
                }
            });
            channel.basicConsume(queue, true, (tag, delivery) -> page.emit(new JsonObject()
                    .put("routingKey", delivery.getEnvelope().getRoutingKey())
                    .put("body", new String(delivery.getBody(), StandardCharsets.UTF_8))
                    .encode()), tag -> page.complete());
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Dashboard event stream unavailable: %s", e.getMessage());
            if (channel != null) {
                close(channel); // opened before the declaration or binding failed
            }
            page.fail(e);
            return;
        }
        Channel watching = channel;
        watchers.incrementAndGet();
        page.onTermination(() -> {
            watchers.decrementAndGet();
            close(watching);
        });
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection("order-service-dashboard");
        }
        return connection;
    }

    private static void close(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close(); // the exclusive queue goes with it
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("Closing a dashboard channel: %s", e.getMessage());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the dashboard connection: %s", e.getMessage());
            }
        }
    }
}
