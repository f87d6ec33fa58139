package org.acme.order.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.acme.order.Order;
import org.acme.order.OrderStatus;

public record OrderView(UUID id, long userId, List<Item> items, BigDecimal total, String currency,
        OrderStatus status, String reason, UUID paymentId, boolean userFromCache, String attention,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }

    static OrderView of(Order o) {
        return new OrderView(o.id, o.userId,
                o.items.stream().map(i -> new Item(i.sku, i.quantity, i.unitPrice)).toList(),
                o.total, o.currency, o.status, o.reason, o.paymentId, o.userFromCache, o.attention, o.createdAt,
                o.updatedAt);
    }
}
