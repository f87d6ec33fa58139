package org.acme.resilience.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Applies a {@link Topology} on a plain AMQP connection. Declarations are idempotent; what a broker cannot change on
 * an object that already exists is handled here, once, for every declarer:
 * <ul>
 * <li>{@code domain_events} declared earlier without its alternate exchange (brokers of earlier versions): migrated,
 * see {@link #migrateExchange} and ADR 0002;</li>
 * <li>a consumer queue that exists with other arguments (a classic queue of an earlier version): kept as it is and
 * used, with a warning saying how to migrate it (ADR 0003), rather than failing the service.</li>
 * </ul>
 * Each declaration that may be refused runs on its own channel, since a refusal closes the channel.
 */
public final class TopologyDeclarer {

    private static final Logger LOG = Logger.getLogger(TopologyDeclarer.class);
    private static final int PRECONDITION_FAILED = 406;

    private TopologyDeclarer() {
    }

    /** Everything: the exchanges and every consumer queue with its bindings and dead-letter queue. */
    public static void apply(Connection connection, Topology topology) throws IOException {
        declareExchanges(connection, topology);
        for (ConsumerQueue queue : topology.consumerQueues()) {
            declareConsumerQueue(connection, topology, queue);
        }
    }

    /**
     * The exchanges only (what a watcher with its own temporary queue needs): the alternate exchange and its queue
     * first, so that from the moment {@code domain_events} exists nothing published to it is dropped.
     */
    public static void declareExchanges(Connection connection, Topology topology) throws IOException {
        run(connection, channel -> {
            channel.exchangeDeclare(topology.unrouted(), BuiltinExchangeType.FANOUT, true);
            channel.queueDeclare(topology.unrouted(), true, false, false, null);
            channel.queueBind(topology.unrouted(), topology.unrouted(), "");
            channel.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.DIRECT, true);
        });
        try {
            run(connection, channel -> channel.exchangeDeclare(topology.exchange(), BuiltinExchangeType.TOPIC, true,
                    false, topology.exchangeArguments()));
        } catch (IOException e) {
            if (!preconditionFailed(e)) {
                throw e;
            }
            migrateExchange(connection, topology);
        }
    }

    /** A consumer queue, its bindings and its dead-letter queue. */
    public static void declareConsumerQueue(Connection connection, Topology topology, ConsumerQueue queue)
            throws IOException {
        declareQueue(connection, queue.name(), topology.consumerQueueArguments(queue));
        declareQueue(connection, queue.deadLetterQueue(), topology.deadLetterQueueArguments());
        run(connection, channel -> {
            for (String pattern : queue.bindings()) {
                channel.queueBind(queue.name(), topology.exchange(), pattern);
            }
            channel.queueBind(queue.deadLetterQueue(), topology.deadLetterExchange(), queue.name());
        });
    }

    /**
     * The delay queues of a consumer queue's retry ladder: each holds a message for its TTL, then hands it back to the
     * consumer queue alone (default exchange), not to every subscriber of the event. Only the consumer declares them:
     * nothing else routes there.
     */
    public static void declareRetryLadder(Connection connection, String queue, RetryLadder ladder)
            throws IOException {
        for (Duration delay : ladder.rungs()) {
            Map<String, Object> args = new HashMap<>();
            args.put("x-dead-letter-exchange", "");
            args.put("x-dead-letter-routing-key", queue);
            args.put("x-message-ttl", delay.toMillis());
            declareQueue(connection, RetryLadder.rungQueue(queue, delay), args);
        }
    }

    /**
     * {@code domain_events} exists without its alternate exchange, and a broker never adds an argument to an existing
     * exchange. Recreate it: delete, declare with the argument, bind every consumer queue of the topology again.
     * Nothing is lost: the queues and their messages stay; a relay publishing in between gets its publish refused
     * (not confirmed) and publishes the row again. Bindings of queues outside the topology (a dashboard page's, a
     * watcher's) go with the old exchange: those reconnect. See ADR 0002.
     */
    static void migrateExchange(Connection connection, Topology topology) throws IOException {
        LOG.warnf("Exchange %s exists without its alternate exchange %s; recreating it with it and binding the "
                + "consumer queues %s again (ADR 0002)", topology.exchange(), topology.unrouted(),
                topology.consumerQueues().stream().map(ConsumerQueue::name).toList());
        run(connection, channel -> {
            channel.exchangeDelete(topology.exchange());
            channel.exchangeDeclare(topology.exchange(), BuiltinExchangeType.TOPIC, true, false,
                    topology.exchangeArguments());
        });
        for (ConsumerQueue queue : topology.consumerQueues()) {
            if (exists(connection, queue.name())) {
                run(connection, channel -> {
                    for (String pattern : queue.bindings()) {
                        channel.queueBind(queue.name(), topology.exchange(), pattern);
                    }
                });
            }
        }
    }

    private static void declareQueue(Connection connection, String queue, Map<String, Object> args)
            throws IOException {
        try {
            run(connection, channel -> channel.queueDeclare(queue, true, false, false, args));
        } catch (IOException e) {
            if (!preconditionFailed(e) || !exists(connection, queue)) {
                throw e;
            }
            LOG.warnf("Queue %s exists with other arguments than %s (%s); using it as it is. To move it to the "
                    + "declared ones, see docs/adr/0003", queue, args, e.getCause() == null ? e.getMessage()
                            : e.getCause().getMessage());
        }
    }

    private static boolean exists(Connection connection, String queue) {
        try {
            run(connection, channel -> channel.queueDeclarePassive(queue));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean preconditionFailed(IOException e) {
        Throwable cause = e.getCause();
        return cause instanceof ShutdownSignalException signal && !signal.isHardError()
                && signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                && close.getReplyCode() == PRECONDITION_FAILED;
    }

    private interface ChannelWork {
        void on(Channel channel) throws IOException;
    }

    private static void run(Connection connection, ChannelWork work) throws IOException {
        Channel channel = connection.createChannel();
        try {
            work.on(channel);
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.close();
                } catch (TimeoutException | IOException | RuntimeException e) {
                    // declared already; closing is housekeeping
                }
            }
        }
    }

    /** Queues of a topology's consumer queues and their dead-letter queues, e.g. for a test to delete them. */
    public static List<String> queues(Topology topology) {
        return topology.consumerQueues().stream().flatMap(q -> java.util.stream.Stream.of(q.name(),
                q.deadLetterQueue())).toList();
    }
}
