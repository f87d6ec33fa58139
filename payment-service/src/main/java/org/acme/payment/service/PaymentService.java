package org.acme.payment.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.payment.CancelledOrder;
import org.acme.payment.Payment;
import org.acme.payment.PaymentEvents;
import org.acme.payment.PaymentProblems;
import org.acme.payment.PaymentStatus;
import org.acme.resilience.outbox.Outbox;
import org.acme.resilience.problem.ProblemException;
import org.acme.resilience.problem.ProblemType;
import org.acme.resilience.validation.SupportedCurrency;
import org.jboss.logging.Logger;

/**
 * Charges and refunds. Both are idempotent: a charge is keyed by its order id, a refund by the payment, and work on
 * one order is serialised with a transaction-scoped advisory lock so two concurrent charges cannot both take money.
 * A repeated charge is answered with the first payment only when its terms (amount, currency, user) are the same.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    private final Outbox outbox;
    private final EntityManager em;
    private final PaymentLimits limits;
    private final Clock clock;

    public PaymentService(Outbox outbox, EntityManager em, PaymentLimits limits, Clock clock) {
        this.outbox = outbox;
        this.em = em;
        this.limits = limits;
        this.clock = clock;
    }

    /** The outcome of a charge request: the payment, and whether this request created it. */
    public record Charge(Payment payment, boolean created) {
    }

    /**
     * What a payment is for: who pays how much in which currency. An order id names one set of terms; a charge or a
     * cancellation with other terms is not about the payment held for it.
     */
    public record Terms(long userId, BigDecimal amount, String currency) {

        boolean sameAs(Payment payment) {
            return userId == payment.userId && currency.equals(payment.currency)
                    && amount.compareTo(payment.amount) == 0;
        }

        @Override
        public String toString() {
            return amount.toPlainString() + " " + currency + " by user " + userId;
        }

        static Terms of(Payment payment) {
            return new Terms(payment.userId, payment.amount, payment.currency);
        }
    }

    /**
     * @param currency a supported currency, and {@code amount} fits its minor units (both validated at the edge)
     * @throws ProblemException 409 when the order already has a payment with other terms
     */
    @Transactional
    public Charge charge(UUID orderId, long userId, BigDecimal amount, String currency) {
        lockOrder(orderId);
        Terms terms = new Terms(userId, amount, currency);
        var existing = Payment.forOrder(orderId);
        if (existing.isPresent()) {
            if (!terms.sameAs(existing.get())) {
                throw new ProblemException(PaymentProblems.PAYMENT_CONFLICT, "order " + orderId
                        + " already has a payment with other terms (" + Terms.of(existing.get()) + ", not " + terms
                        + "): a charge is repeated only with the same terms");
            }
            return new Charge(existing.get(), false);
        }
        SupportedCurrency supported = SupportedCurrency.of(currency).orElseThrow();
        BigDecimal limit = limits.of(supported);
        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.orderId = orderId;
        payment.userId = userId;
        payment.amount = supported.scale(amount);
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
            throw new ProblemException(PaymentProblems.PAYMENT_NOT_REFUNDABLE,
                    "payment " + paymentId + " was declined, nothing was charged");
        }
        refundIfCompleted(payment);
        return payment;
    }

    /**
     * Compensation for a cancelled order: refunds its payment if one was taken for the order as it was cancelled, and
     * remembers the cancellation so a charge arriving later is declined.
     *
     * <p>The refund applies only to a payment whose terms match the cancelled order's ({@code order.cancelled} carries
     * them). A payment with other terms under the same order id is what made order-service cancel with "payment
     * conflict": it is not this order's charge, so it is not given back blindly; it is logged for the operator (and
     * the reconciliation), who can refund it by hand.
     *
     * @param terms the cancelled order's terms, each empty when the event did not carry it (then not compared)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void orderCancelled(UUID orderId, Optional<Long> userId, Optional<BigDecimal> total,
            Optional<String> currency) {
        lockOrder(orderId);
        if (CancelledOrder.findById(orderId) == null) {
            CancelledOrder cancelled = new CancelledOrder();
            cancelled.orderId = orderId;
            cancelled.cancelledAt = now();
            cancelled.persist();
        }
        Payment.forOrder(orderId).ifPresent(payment -> {
            boolean same = userId.map(u -> u == payment.userId).orElse(true)
                    && total.map(t -> t.compareTo(payment.amount) == 0).orElse(true)
                    && currency.map(payment.currency::equals).orElse(true);
            if (same) {
                refundIfCompleted(payment);
            } else if (payment.status == PaymentStatus.COMPLETED) {
                LOG.warnf("Order %s was cancelled with other terms (%s %s by user %s) than its payment %s (%s): "
                        + "not refunded; an operator decides", orderId, total.map(BigDecimal::toPlainString).orElse("?"),
                        currency.orElse("?"), userId.map(String::valueOf).orElse("?"), payment.id, Terms.of(payment));
            }
        });
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

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
