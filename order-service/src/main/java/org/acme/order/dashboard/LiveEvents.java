package org.acme.order.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.config.DashboardConfig;
import org.acme.resilience.topology.Topology;
import org.acme.resilience.topology.TopologyDeclarer;
import org.acme.resilience.topology.WatcherQueue;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Every message on {@code domain_events}, as it happens, for the dashboard, without personal data
 * ({@link EventProjection}). Each watching page gets its own {@link WatcherQueue} ({@code order-service.dashboard.<uuid>},
 * bound to {@code #}) for as long as it watches: nobody watching costs the system nothing, and nothing is kept: a page
 * sees what arrives while it watches. What one page may cost is bounded everywhere: at most
 * {@code order.dashboard.max-watchers} pages ({@link TooManyWatchersException} beyond), {@code queue-max-length}
 * events on the broker (the oldest dropped there), {@code prefetch} unacknowledged deliveries in the client, and
 * {@code buffer-size} events in memory ({@link PageBuffer}, the oldest dropped and counted). When the broker goes away
 * the stream fails, and the page's EventSource reconnects with a new queue.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    private static final Topology TOPOLOGY = Topology.domainEvents("");

    private final ConnectionFactory factory;
    private final DashboardConfig config;
    private final WatcherQueue queue;
    private final AtomicInteger watchers = new AtomicInteger();
    private final Counter dropped;
    private Connection connection;

    public LiveEvents(ConnectionFactory factory, DashboardConfig config, MeterRegistry metrics) {
        this.factory = factory;
        this.config = config;
        this.queue = new WatcherQueue("order-service.dashboard", List.of("#"), config.queueMaxLength());
        factory.setAutomaticRecoveryEnabled(false); // a broken stream is failed; the page reconnects
        factory.setConnectionTimeout(2_000); // and while the broker is away, each attempt fails fast
        this.dropped = Counter.builder("dashboard.events.dropped")
                .description("Events a dashboard page read too slowly to receive (the oldest of its buffer dropped)")
                .register(metrics);
        Gauge.builder("dashboard.watchers", watchers, AtomicInteger::get)
                .description("Pages watching the event stream now").register(metrics);
    }

    /**
     * One JSON object per event ({@link EventProjection}), for one more page, or {@link TooManyWatchersException} at
     * once when {@code max-watchers} pages watch already. The slot is the caller's from now until the stream ends.
     */
    public Multi<String> stream() {
        int max = config.maxWatchers();
        if (watchers.getAndUpdate(n -> n < max ? n + 1 : n) >= max) {
            throw new TooManyWatchersException(max, config.watcherRetryAfter());
        }
        // Subscribed where the page's stream is, so a page that leaves at once cancels this emitter itself; only the
        // blocking setup runs on a worker. Not runSubscriptionOn: merged with the heartbeats, a cancellation that comes
        // before its deferred subscription is lost, and the slot, channel and queue with it (docs/upstream/mutiny-merge-
        // subscribe-on-cancel.md). DROP never drops here: PageBuffer emits only what was requested, and keeps
        // (boundedly) the rest.
        return Multi.createFrom().<String> emitter(page -> {
            Watch watch = new Watch(page);
            page.onTermination(watch::end);
            Infrastructure.getDefaultWorkerPool().execute(watch::start);
        }, BackPressureStrategy.DROP);
    }

    /** How many pages are watching now, each with its own queue. */
    public int watchers() {
        return watchers.get();
    }

    /** One page's watch: its slot from {@link #stream()} until {@link #end()}, and its channel once opened. */
    private final class Watch {

        private final MultiEmitter<? super String> page;
        private Channel channel;
        private boolean ended;

        Watch(MultiEmitter<? super String> page) {
            this.page = page;
        }

        /** On a worker: connecting, declaring and consuming block. */
        void start() {
            try {
                // The exchange as the shared topology describes it (with its alternate exchange), as every declarer
                // does.
                TopologyDeclarer.declareExchanges(connection(), TOPOLOGY);
                Channel opened = connection().createChannel();
                if (!own(opened)) {
                    return; // the page left while the channel opened
                }
                opened.basicQos(config.prefetch());
                String name = queue.declare(opened, TOPOLOGY.exchange());
                PageBuffer<String> buffer = new PageBuffer<>(config.bufferSize(), page::requested, page::emit);
                page.onRequest(n -> buffer.drain());
                opened.addShutdownListener(cause -> {
                    if (!cause.isInitiatedByApplication()) {
                        page.fail(cause);
                    }
                });
                opened.basicConsume(name, false, (tag, delivery) -> {
                    if (buffer.offer(EventProjection.of(delivery.getEnvelope().getRoutingKey(), delivery.getBody()))) {
                        dropped.increment();
                    }
                    // In the page's buffer now: the broker may send the next (prefetch bounds what is unacknowledged).
                    opened.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                }, tag -> page.complete());
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.warnf("Dashboard event stream unavailable: %s", e.getMessage());
                page.fail(e); // and end() closes the channel if it opened before the declaration or binding failed
            }
        }

        private synchronized boolean own(Channel opened) {
            if (ended) {
                close(opened);
                return false;
            }
            channel = opened;
            return true;
        }

        /**
         * When the stream ends however it ends (the page left, the broker went away): the slot is free again, and the
         * channel closes on a worker, since the page may leave on the event loop, taking the exclusive queue with it.
         */
        synchronized void end() {
            if (ended) {
                return;
            }
            ended = true;
            watchers.decrementAndGet();
            if (channel != null) {
                Channel closing = channel;
                Infrastructure.getDefaultWorkerPool().execute(() -> close(closing));
            }
        }
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
