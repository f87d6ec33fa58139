package org.acme.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Events order-service publishes on {@code domain_events}; the type is the routing key. */
public final class OrderEvents {

    public static final String CREATED = "order.created";
    public static final String CONFIRMED = "order.confirmed";
    public static final String CANCELLED = "order.cancelled";
    public static final String REFUNDED = "order.refunded";

    /** Data of every order event: the order as it stands after the step. */
    public record OrderChanged(UUID orderId, long userId, List<Item> items, BigDecimal total, String currency,
            OrderStatus status, String reason, UUID paymentId) {

        public record Item(String sku, int quantity, BigDecimal unitPrice) {
        }

        public static OrderChanged of(Order order) {
            return new OrderChanged(order.id, order.userId,
                    order.items.stream().map(i -> new Item(i.sku, i.quantity, i.unitPrice)).toList(),
                    order.total, order.currency, order.status, order.reason, order.paymentId);
        }
    }

    private OrderEvents() {
    }
}
