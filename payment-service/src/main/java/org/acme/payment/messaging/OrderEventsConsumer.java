package org.acme.payment.messaging;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.payment.service.PaymentService;
import org.acme.resilience.consume.ReliableConsumer;
import org.acme.resilience.consume.Subscription;
import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.MalformedEventException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Compensation: when an order is cancelled, refund what was charged for it (for the order's terms, which the event
 * carries as {@code userId}, {@code total}, {@code currency}). Queue {@code payment-service.order-events}, bound to
 * {@code order.*}; the other order events need nothing here.
 */
@ApplicationScoped
public class OrderEventsConsumer {

    public static final String CHANNEL = "order-events";

    private final ReliableConsumer consumer;
    private final Subscription subscription;

    public OrderEventsConsumer(ReliableConsumer consumer, PaymentService payments,
            @ConfigProperty(name = "mp.messaging.incoming." + CHANNEL + ".queue.name") String queue) {
        this.consumer = consumer;
        this.subscription = new Subscription(queue,
                Map.of("order.cancelled", event -> payments.orderCancelled(orderId(event),
                        field(event, "userId").map(JsonNode::asLong), field(event, "total").map(OrderEventsConsumer::amount),
                        field(event, "currency").map(JsonNode::asText))),
                Set.of("order.created", "order.confirmed"));
    }

    void onStart(@Observes StartupEvent start) {
        consumer.prepare(subscription.queue());
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    public CompletionStage<Void> onOrderEvent(Message<?> message) {
        return consumer.consume(message, subscription);
    }

    private static Optional<JsonNode> field(DomainEvent event, String name) {
        return Optional.ofNullable(event.data()).map(data -> data.get(name)).filter(node -> !node.isNull());
    }

    private static BigDecimal amount(JsonNode node) {
        if (!node.isNumber()) {
            throw new MalformedEventException("total of order.cancelled is not a number: " + node);
        }
        return node.decimalValue();
    }

    private static UUID orderId(DomainEvent event) {
        try {
            return UUID.fromString(event.subject());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("subject of " + event.type() + " is not an order id: " + event.subject());
        }
    }
}
