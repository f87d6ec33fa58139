package org.acme.payment.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.payment.CancelledOrder;
import org.acme.payment.Payment;
import org.acme.payment.PaymentEvents;
import org.acme.payment.PaymentStatus;
import org.acme.resilience.outbox.Outbox;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Charges and refunds. Both are idempotent: a charge is keyed by its order id, a refund by the payment, and work on
 * one order is serialised with a transaction-scoped advisory lock so two concurrent charges cannot both take money.
 */
@ApplicationScoped
public class PaymentService {

    private final Outbox outbox;
    private final EntityManager em;
    private final BigDecimal limit;

    public PaymentService(Outbox outbox, EntityManager em,
            @ConfigProperty(name = "payment.limit") BigDecimal limit) {
        this.outbox = outbox;
        this.em = em;
        this.limit = limit;
    }

    /** The outcome of a charge request: the payment, and whether this request created it. */
    public record Charge(Payment payment, boolean created) {
    }

    @Transactional
    public Charge charge(UUID orderId, long userId, BigDecimal amount, String currency) {
        lockOrder(orderId);
        var existing = Payment.forOrder(orderId);
        if (existing.isPresent()) {
            return new Charge(existing.get(), false);
        }
        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.orderId = orderId;
        payment.userId = userId;
        payment.amount = amount.setScale(2, RoundingMode.UNNECESSARY); // at most 2 decimals (validated)
        payment.currency = currency;
        payment.createdAt = payment.updatedAt = now();
        if (CancelledOrder.findById(orderId) != null) {
            decline(payment, "order " + orderId + " was already cancelled");
        } else if (amount.compareTo(limit) > 0) {
            decline(payment, "amount " + payment.amount + " exceeds the limit of " + limit);
        } else {
            payment.status = PaymentStatus.COMPLETED;
        }
        payment.persist();
        outbox.append(payment.status == PaymentStatus.COMPLETED ? PaymentEvents.COMPLETED : PaymentEvents.DECLINED,
                payment.orderId.toString(), PaymentEvents.PaymentChanged.of(payment));
        return new Charge(payment, true);
    }

    @Transactional
    public Payment refund(UUID paymentId) {
        Payment payment = Payment.findById(paymentId);
        if (payment == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no payment with id " + paymentId);
        }
        lockOrder(payment.orderId);
        em.refresh(payment);
        if (payment.status == PaymentStatus.DECLINED) {
            throw new ProblemException(ProblemType.PAYMENT_NOT_REFUNDABLE,
                    "payment " + paymentId + " was declined, nothing was charged");
        }
        refundIfCompleted(payment);
        return payment;
    }

    /**
     * Compensation for a cancelled order: refunds its payment if one was taken, and remembers the cancellation so a
     * charge arriving later is declined.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void orderCancelled(UUID orderId) {
        lockOrder(orderId);
        if (CancelledOrder.findById(orderId) == null) {
            CancelledOrder cancelled = new CancelledOrder();
            cancelled.orderId = orderId;
            cancelled.cancelledAt = now();
            cancelled.persist();
        }
        Payment.forOrder(orderId).ifPresent(this::refundIfCompleted);
    }

    private void refundIfCompleted(Payment payment) {
        if (payment.status != PaymentStatus.COMPLETED) {
            return; // REFUNDED already, or DECLINED: nothing to give back
        }
        payment.status = PaymentStatus.REFUNDED;
        payment.updatedAt = now();
        outbox.append(PaymentEvents.REFUNDED, payment.orderId.toString(), PaymentEvents.PaymentChanged.of(payment));
    }

    private void decline(Payment payment, String reason) {
        payment.status = PaymentStatus.DECLINED;
        payment.reason = reason;
    }

    private void lockOrder(UUID orderId) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) as locked")
                .setParameter(1, orderId.toString())
                .getSingleResult();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
