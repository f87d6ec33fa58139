package org.acme.order.client;

import java.math.BigDecimal;
import java.util.UUID;

/** A payment as payment-service returns it, with the terms it holds (checked against what was asked). */
public record RemotePayment(UUID id, UUID orderId, BigDecimal amount, String currency, String status, String reason) {

    public boolean completed() {
        return "COMPLETED".equals(status);
    }
}
