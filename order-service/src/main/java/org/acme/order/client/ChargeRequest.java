package org.acme.order.client;

import java.math.BigDecimal;
import java.util.UUID;

/** payment-service's charge request; the order id is its idempotency key, which makes retrying it safe. */
public record ChargeRequest(UUID orderId, long userId, BigDecimal amount, String currency) {
}
