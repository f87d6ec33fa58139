package org.acme.payment;

import java.math.BigDecimal;
import java.util.UUID;

/** Events payment-service publishes on {@code domain_events}; the type is the routing key. */
public final class PaymentEvents {

    public static final String COMPLETED = "payment.completed";
    public static final String DECLINED = "payment.declined";
    public static final String REFUNDED = "payment.refunded";

    /** Data of every payment event: the payment as it stands after the change. */
    public record PaymentChanged(UUID paymentId, UUID orderId, long userId, BigDecimal amount, String currency,
            PaymentStatus status, String reason) {

        public static PaymentChanged of(Payment payment) {
            return new PaymentChanged(payment.id, payment.orderId, payment.userId, payment.amount, payment.currency,
                    payment.status, payment.reason);
        }
    }

    private PaymentEvents() {
    }
}
