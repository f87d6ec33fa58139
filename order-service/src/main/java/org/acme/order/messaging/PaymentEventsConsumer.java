package org.acme.order.messaging;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.order.service.Orders;
import org.acme.resilience.consume.ReliableConsumer;
import org.acme.resilience.consume.Subscription;
import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.MalformedEventException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * What payment-service says after the saga: {@code payment.refunded} moves the order to REFUNDED. Queue
 * {@code order-service.payment-events}, bound to {@code payment.*}; the saga already has the answer to a charge, so
 * {@code payment.completed} and {@code payment.declined} need nothing here.
 */
@ApplicationScoped
public class PaymentEventsConsumer {

    public static final String CHANNEL = "payment-events";

    private final ReliableConsumer consumer;
    private final Subscription subscription;

    public PaymentEventsConsumer(ReliableConsumer consumer, Orders orders,
            @ConfigProperty(name = "mp.messaging.incoming." + CHANNEL + ".queue.name") String queue) {
        this.consumer = consumer;
        this.subscription = new Subscription(queue,
                Map.of("payment.refunded", event -> refunded(orders, event)),
                Set.of("payment.completed", "payment.declined"));
    }

    void onStart(@Observes StartupEvent start) {
        consumer.prepare(subscription.queue());
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    public CompletionStage<Void> onPaymentEvent(Message<?> message) {
        return consumer.consume(message, subscription);
    }

    private static void refunded(Orders orders, DomainEvent event) {
        try {
            orders.refunded(orderId(event));
        } catch (Orders.UnknownOrderException e) {
            throw new MalformedEventException(event.type() + " for an order this service never had: "
                    + event.subject());
        }
    }

    private static UUID orderId(DomainEvent event) {
        try {
            return UUID.fromString(event.subject());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("subject of " + event.type() + " is not an order id: " + event.subject());
        }
    }
}
