package org.acme.order.client;

import java.util.UUID;

/** A payment as payment-service returns it. */
public record RemotePayment(UUID id, UUID orderId, String status, String reason) {

    public boolean completed() {
        return "COMPLETED".equals(status);
    }
}
