package org.acme.payment.messaging;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.payment.service.PaymentService;
import org.acme.resilience.events.DomainEvent;
import org.acme.resilience.events.EventCodec;
import org.acme.resilience.events.MalformedEventException;
import org.acme.resilience.events.ProcessedEvents;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Compensation: when an order is cancelled, refund whatever was charged for it. Queue
 * {@code payment-service.order-events}, bound to {@code order.cancelled}.
 */
@ApplicationScoped
public class OrderEventsConsumer {

    public static final String CHANNEL = "order-events";
    static final String CONSUMER = "payment-service.order-events";
    private static final String ORDER_CANCELLED = "order.cancelled";
    private static final Logger LOG = Logger.getLogger(OrderEventsConsumer.class);

    private final EventCodec codec;
    private final ProcessedEvents processed;
    private final PaymentService payments;

    public OrderEventsConsumer(EventCodec codec, ProcessedEvents processed, PaymentService payments) {
        this.codec = codec;
        this.processed = processed;
        this.payments = payments;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    public CompletionStage<Void> onOrderEvent(Message<?> message) {
        DomainEvent event;
        UUID orderId;
        try {
            event = codec.decode(message.getPayload());
            orderId = UUID.fromString(event.subject());
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warnf("Rejecting a malformed message on %s: %s", CONSUMER, e.getMessage());
            return message.nack(e);
        }
        if (!ORDER_CANCELLED.equals(event.type())) {
            return message.ack();
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (processed.firstDelivery(CONSUMER, event)) {
                    payments.orderCancelled(orderId);
                }
            });
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not handle %s %s for order %s", event.type(), event.id(), orderId);
            return message.nack(e);
        }
    }
}
