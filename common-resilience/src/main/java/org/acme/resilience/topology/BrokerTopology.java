package org.acme.resilience.topology;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.acme.resilience.events.EventsConfig;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Applies the system's {@link Topology} when the service starts, before the messaging connector opens its channels
 * (which declare nothing themselves), and again until it has succeeded if the broker was away then. Watches the
 * unrouted queue: gauge {@code events_unrouted} and a warning whenever its depth grows.
 */
@ApplicationScoped
public class BrokerTopology {

    private static final Logger LOG = Logger.getLogger(BrokerTopology.class);

    private final ConnectionFactory factory;
    private final Topology topology;
    private final AtomicLong unroutedWarned = new AtomicLong();
    private volatile double unroutedDepth = Double.NaN;
    private volatile boolean applied;
    private Connection connection;

    public BrokerTopology(ConnectionFactory factory, MeterRegistry metrics, EventsConfig events) {
        this.factory = factory;
        this.topology = Topology.domainEvents(events.topology().queueSuffix().orElse("").strip());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        Gauge.builder("events.unrouted", this, t -> t.unroutedDepth)
                .description("Events no queue was bound for, waiting in " + Topology.UNROUTED)
                .register(metrics);
    }

    /** The topology this service applies (consumer queue names with the configured suffix). */
    public Topology topology() {
        return topology;
    }

    /** Before the messaging connector starts (priority 1000). */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 100) StartupEvent start) {
        apply();
    }

    @Scheduled(every = "${events.topology.check-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void check() {
        if (!applied) {
            apply();
        }
        double depth = readUnroutedDepth();
        unroutedDepth = depth;
        if (depth > unroutedWarned.get()) {
            LOG.warnf("%d event(s) no queue is bound for wait in %s: look at their routing keys (a consumer "
                    + "missing from the topology, or a producer's typo)", (long) depth, Topology.UNROUTED);
        }
        if (!Double.isNaN(depth)) {
            unroutedWarned.set((long) depth);
        }
    }

    /** Declares everything; true once it succeeded. */
    public synchronized boolean apply() {
        try {
            TopologyDeclarer.apply(connection(), topology);
            if (!applied) {
                LOG.infof("Broker topology applied: %s (alternate exchange %s), consumer queues %s",
                        topology.exchange(), topology.unrouted(),
                        topology.consumerQueues().stream().map(ConsumerQueue::name).toList());
            }
            applied = true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not apply the broker topology yet (retried every check): %s", e.getMessage());
        }
        return applied;
    }

    /** Messages waiting in {@code domain_events.unrouted}; NaN while the broker cannot be asked. */
    public synchronized double readUnroutedDepth() {
        try (var channel = connection().createChannel()) {
            return channel.queueDeclarePassive(topology.unrouted()).getMessageCount();
        } catch (IOException | TimeoutException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private Connection connection() throws IOException {
        if (connection == null || !connection.isOpen()) {
            try {
                connection = factory.newConnection("topology");
            } catch (TimeoutException e) {
                throw new IOException("cannot connect to RabbitMQ", e);
            }
        }
        return connection;
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                // shutting down anyway
            }
        }
    }
}
