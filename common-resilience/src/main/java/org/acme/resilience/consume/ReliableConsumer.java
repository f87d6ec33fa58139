package org.acme.resilience.consume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.EventCodec;
import org.acme.resilience.events.EventsConfig;
import org.acme.resilience.events.MalformedEventException;
import org.acme.resilience.events.ProcessedEvents;
import org.acme.resilience.topology.BrokerTopology;
import org.acme.resilience.topology.RetryLadder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Handles one message from a consumer queue so that nothing is lost and nothing loops:
 * <ul>
 * <li>not an event envelope, or data its handler can never handle ({@link MalformedEventException}): dead-lettered
 * at once with the reason in the {@value DeadLetters#REASON_HEADER} header, logged once;</li>
 * <li>an event type the subscription does not know, arriving under its wildcard binding: acknowledged and counted
 * ({@code events_unknown_type_total{queue}}), not dead-lettered: a producer may add types before consumers know them;</li>
 * <li>an event already handled (same id): acknowledged, no second effect;</li>
 * <li>any other handler failure (database away, ...): transient. Parked in the next delay queue of the queue's
 * {@link RetryLadder} (capped exponential) while the messages behind it go on, and dead-lettered only after
 * {@code max-attempts} failed attempts (by default about a day of waiting): a compensation outlasts an outage;</li>
 * <li>if even that cannot reach the broker, the message is rejected and the broker dead-letters it.</li>
 * </ul>
 * The ladder is set per subscription: {@code events.consumer."<queue>".retry.initial-delay|factor|max-delay|max-attempts}
 * (environment: {@code EVENTS_CONSUMER__<QUEUE>__RETRY_MAX_ATTEMPTS}, ...), each falling back to
 * {@code events.consumer.retry.*} ({@link EventsConfig.Retry}, where the defaults are).
 */
@ApplicationScoped
public class ReliableConsumer {

    private static final Logger LOG = Logger.getLogger(ReliableConsumer.class);

    private final EventCodec codec;
    private final ProcessedEvents processed;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final Config config;
    private final EventsConfig.Retry defaults;
    private final BrokerTopology topology;
    private final Map<String, RetryLadder> ladders = new ConcurrentHashMap<>();
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public ReliableConsumer(EventCodec codec, ProcessedEvents processed, DeadLetters deadLetters,
            MeterRegistry metrics, Config config, EventsConfig events, BrokerTopology topology) {
        this.codec = codec;
        this.processed = processed;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
        this.defaults = events.consumer().retry();
        this.topology = topology;
    }

    /** The retry ladder of a consumer queue, from its own settings or the shared defaults. */
    public RetryLadder ladder(String queue) {
        return ladders.computeIfAbsent(queue, q -> {
            try {
                return new RetryLadder(setting(q, "initial-delay", Duration.class, defaults.initialDelay()),
                        setting(q, "factor", Double.class, defaults.factor()),
                        setting(q, "max-delay", Duration.class, defaults.maxDelay()),
                        setting(q, "max-attempts", Integer.class, defaults.maxAttempts()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("events.consumer.\"" + q + "\".retry.* (or events.consumer.retry.*): "
                        + e.getMessage(), e);
            }
        });
    }

    private <T> T setting(String queue, String name, Class<T> type, T fallback) {
        return config.getOptionalValue("events.consumer.\"" + queue + "\".retry." + name, type).orElse(fallback);
    }

    /**
     * Declares the queue's retry ladder and its dead-letter gauge (the queue itself, its bindings and dead-letter queue
     * come from the shared topology). Called at startup; done again lazily if the broker was not reachable then.
     *
     * @throws IllegalStateException if {@code queue} is not one of the shared topology's consumer queues
     */
    public void prepare(String queue) {
        if (topology.topology().consumerQueue(queue).isEmpty()) {
            // Fail the start: a consumer of a queue nobody declares or binds would wait for the broker forever.
            throw new IllegalStateException("Consumer queue " + queue + " is not in the shared topology "
                    + topology.topology().consumerQueues().stream().map(q -> q.name()).toList()
                    + " (org.acme.resilience.topology.Topology, names with events.topology.queue-suffix): nothing "
                    + "declares or binds it");
        }
        try {
            RetryLadder ladder = ladder(queue);
            deadLetters.declareRetryLadder(queue, ladder);
            ready.add(queue);
            if (prepared.add(queue)) {
                LOG.infof("Consumer queue %s: transient failures retried after %s, dead-lettered after %d attempts "
                        + "(%s of waiting)", queue, ladder.rungs(), ladder.maxAttempts(), ladder.patience());
                Gauge.builder("events.dead_letters", deadLetters, d -> {
                    try {
                        return d.deadLetterCount(queue);
                    } catch (IOException e) {
                        return Double.NaN;
                    }
                }).tag("queue", queue).description("Messages waiting in the queue's dead-letter queue")
                        .register(metrics);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not declare the retry queue of %s yet: %s", queue, e.getMessage());
        }
    }

    /** The consumer queues of this service (those prepared at startup). */
    public Set<String> queues() {
        return Set.copyOf(prepared);
    }

    /** To be called from a {@code @Blocking} {@code @Incoming} method, for every message of the subscription. */
    public CompletionStage<Void> consume(Message<?> message, Subscription subscription) {
        String queue = subscription.queue();
        IncomingRabbitMQMetadata meta = message.getMetadata(IncomingRabbitMQMetadata.class).orElse(null);
        byte[] body = bytes(message.getPayload());
        String routingKey = meta == null ? "?" : meta.getHeader(DeadLetters.ORIGINAL_ROUTING_KEY_HEADER, Object.class)
                .map(Object::toString).orElse(meta.getRoutingKey());

        DomainEvent event;
        try {
            event = codec.decode(body);
        } catch (MalformedEventException e) {
            return deadLetter(message, meta, body, routingKey, queue, "malformed", "malformed: " + e.getMessage());
        }
        Consumer<DomainEvent> handler = subscription.handlers().get(event.type());
        if (handler == null) {
            if (!subscription.ignored().contains(event.type())) {
                metrics.counter("events.unknown_type", "queue", queue).increment();
                LOG.debugf("Passed over %s %s on %s: a type this consumer does not know", event.type(), event.id(),
                        queue);
            }
            return message.ack();
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (processed.firstDelivery(queue, event)) {
                    handler.accept(event);
                }
            });
            return message.ack();
        } catch (MalformedEventException e) {
            return deadLetter(message, meta, body, routingKey, queue, "malformed", "malformed: " + e.getMessage());
        } catch (RuntimeException e) {
            int attempt = attempts(meta) + 1;
            String cause = rootMessage(e);
            RetryLadder ladder = ladder(queue);
            if (attempt >= ladder.maxAttempts()) {
                return deadLetter(message, meta, body, routingKey, queue, "exhausted",
                        "gave up after " + attempt + " attempts: " + cause);
            }
            Duration delay = ladder.delayBefore(attempt);
            LOG.warnf("Handling %s %s on %s failed (attempt %d of %d), retrying in %s: %s", event.type(),
                    event.id(), queue, attempt, ladder.maxAttempts(), delay, cause);
            try {
                if (!ready.contains(queue)) {
                    prepare(queue);
                }
                deadLetters.retryLater(queue, delay, body, properties(meta), routingKey, attempt);
                return message.ack();
            } catch (IOException | RuntimeException io) {
                LOG.errorf("Could not park %s for a retry (%s); rejecting it to the dead-letter queue", event.id(),
                        io.getMessage());
                return message.nack(io);
            }
        }
    }

    private CompletionStage<Void> deadLetter(Message<?> message, IncomingRabbitMQMetadata meta, byte[] body,
            String routingKey, String queue, String kind, String reason) {
        metrics.counter("events.dead_lettered", "queue", queue, "reason", kind).increment();
        try {
            deadLetters.deadLetter(queue, body, properties(meta), routingKey, reason);
            LOG.warnf("Dead-lettered a message from %s (routing key %s) to %s: %s", queue, routingKey,
                    DeadLetters.dlq(queue), reason);
            return message.ack();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Could not dead-letter a message from %s (%s), rejecting it instead: %s", queue, reason,
                    e.getMessage());
            return message.nack(e);
        }
    }

    private static int attempts(IncomingRabbitMQMetadata meta) {
        if (meta == null) {
            return 0;
        }
        return meta.getHeader(DeadLetters.ATTEMPTS_HEADER, Object.class)
                .map(value -> value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString()))
                .orElse(0);
    }

    private static AMQP.BasicProperties properties(IncomingRabbitMQMetadata meta) {
        AMQP.BasicProperties.Builder builder = new AMQP.BasicProperties.Builder().deliveryMode(2);
        if (meta != null) {
            builder.headers(meta.getHeaders())
                    .contentType(meta.getContentType().orElse(null))
                    .messageId(meta.getMessageId().orElse(null))
                    .type(meta.getType().orElse(null))
                    .timestamp(meta.getTimestamp(ZoneOffset.UTC).map(t -> Date.from(t.toInstant())).orElse(null));
        }
        return builder.build();
    }

    private static byte[] bytes(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof JsonObject json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
