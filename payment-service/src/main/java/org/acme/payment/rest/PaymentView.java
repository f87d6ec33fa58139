package org.acme.payment.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.acme.payment.Payment;
import org.acme.payment.PaymentStatus;

public record PaymentView(UUID id, UUID orderId, long userId, BigDecimal amount, String currency,
        PaymentStatus status, String reason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static PaymentView of(Payment p) {
        return new PaymentView(p.id, p.orderId, p.userId, p.amount, p.currency, p.status, p.reason, p.createdAt,
                p.updatedAt);
    }
}
