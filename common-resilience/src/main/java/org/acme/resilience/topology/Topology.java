package org.acme.resilience.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the system keeps on the broker, in one place. Every declarer applies it through {@link TopologyDeclarer}: the
 * outbox relay (so an event published before its consumer ever ran waits in that consumer's queue), each consumer,
 * the dashboard and the test taps.
 * <ul>
 * <li>{@code domain_events}: topic, durable, alternate exchange {@code domain_events.unrouted};</li>
 * <li>{@code domain_events.unrouted}: fanout, durable, into the durable queue of the same name: an event no queue is
 * bound for waits there (metric {@code events_unrouted}) instead of being confirmed and dropped;</li>
 * <li>{@code domain_events.dlx}: direct, durable: dead letters, routed by the consumer queue's name to
 * {@code <queue>.dlq};</li>
 * <li>per consumer queue {@code <consumer>.<purpose>}: durable, quorum type, {@code x-delivery-limit} as the stop for
 * poison loops (redeliveries, not retries: those go through the consumer's ladder of delay queues, see
 * {@link RetryLadder}), its bindings, and its quorum dead-letter queue {@code <queue>.dlq}.</li>
 * </ul>
 *
 * @param exchange the topic exchange events are published to
 * @param unrouted the alternate exchange of {@code exchange} and its queue (same name)
 * @param deadLetterExchange where dead letters go
 * @param consumerQueues every consumer queue of the system, with its bindings
 */
public record Topology(String exchange, String unrouted, String deadLetterExchange,
        List<ConsumerQueue> consumerQueues) {

    public static final String DOMAIN_EVENTS = "domain_events";
    public static final String UNROUTED = "domain_events.unrouted";
    public static final String DEAD_LETTER_EXCHANGE = "domain_events.dlx";
    /**
     * Deliveries of one message to a consumer queue (each one a consumer that died or rejected it) before the broker
     * dead-letters it: only stops a message that kills its consumer from looping. Retries are not redeliveries.
     */
    public static final int POISON_DELIVERY_LIMIT = 20;

    /** payment-service: refunds on {@code order.cancelled}; the other order events are seen and passed over. */
    public static final ConsumerQueue PAYMENT_ORDER_EVENTS = new ConsumerQueue("payment-service.order-events",
            List.of("order.*"));

    /** order-service: a refunded payment moves its order to REFUNDED; the other payment events are passed over. */
    public static final ConsumerQueue ORDER_PAYMENT_EVENTS = new ConsumerQueue("order-service.payment-events",
            List.of("payment.*"));

    /** The system's topology, every consumer queue's name with {@code suffix} ({@code ""}, or {@code .test}). */
    public static Topology domainEvents(String suffix) {
        return new Topology(DOMAIN_EVENTS, UNROUTED, DEAD_LETTER_EXCHANGE,
                List.of(PAYMENT_ORDER_EVENTS.withSuffix(suffix), ORDER_PAYMENT_EVENTS.withSuffix(suffix)));
    }

    public Topology {
        consumerQueues = List.copyOf(consumerQueues);
    }

    public Optional<ConsumerQueue> consumerQueue(String name) {
        return consumerQueues.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** Arguments of {@code exchange}: brokers cannot add them to an existing exchange (see ADR 0002). */
    public Map<String, Object> exchangeArguments() {
        return Map.of("alternate-exchange", unrouted);
    }

    /** Arguments of a consumer queue: quorum, its dead letters to {@code <queue>.dlq}, the poison stop. */
    public Map<String, Object> consumerQueueArguments(ConsumerQueue queue) {
        return Map.of("x-queue-type", "quorum",
                "x-dead-letter-exchange", deadLetterExchange,
                "x-dead-letter-routing-key", queue.name(),
                "x-delivery-limit", POISON_DELIVERY_LIMIT);
    }

    /** Arguments of a dead-letter queue. */
    public Map<String, Object> deadLetterQueueArguments() {
        return Map.of("x-queue-type", "quorum");
    }

    public static String dlq(String queue) {
        return queue + ".dlq";
    }
}
