package org.acme.order.client;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.auth.ServiceToken;
import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Charges orders through payment-service's guard. There is no fallback: an order is never confirmed on a guess, so
 * when payment-service cannot answer the outcome says so and the saga cancels the order.
 *
 * <p>An answer is taken only for the terms asked: a payment for another order, amount or currency, or a 409 (the
 * order id already has a payment with other terms) is a {@link Outcome.Conflict}, never a confirmation. A 409 is a
 * business answer like any 4xx (not retried, not a breaker failure); a 401/403 is our own misconfiguration (the
 * service token), a technical failure that is logged loudly.
 */
@ApplicationScoped
public class PaymentClient {

    private static final Logger LOG = Logger.getLogger(PaymentClient.class);

    /** How a charge ended: paid, declined (a business answer), in conflict with what payment-service holds, or no answer. */
    public sealed interface Outcome {
        record Paid(RemotePayment payment) implements Outcome {
        }

        record Declined(RemotePayment payment, String reason) implements Outcome {
        }

        /** payment-service holds a payment for this order id with other terms: not this order's, not to confirm on. */
        record Conflict(String reason) implements Outcome {
        }

        record NoAnswer(String reason) implements Outcome {
        }
    }

    /** The start of every conflict's reason: the order is cancelled with it. */
    public static final String CONFLICT = "payment conflict";

    private final PaymentRestClient payments;
    private final DownstreamGuard guard;
    private final ServiceToken token;

    public PaymentClient(@RestClient PaymentRestClient payments, DownstreamGuards guards, ServiceToken token) {
        this.payments = payments;
        this.guard = guards.get(Downstreams.PAYMENT_SERVICE);
        this.token = token;
        if (!token.configured()) {
            LOG.warn("resilience.service.token is not set: charges go to payment-service without credentials and "
                    + "are refused; set RESILIENCE_SERVICE_TOKEN (the same on every service)");
        }
    }

    /**
     * Charges the order; to be called on a worker thread. Waits at most as long as payment-service's policy allows
     * (its timeout per attempt, retries and max duration).
     */
    public Outcome charge(ChargeRequest request) {
        return guard.call(() -> payments.charge(token.authorization(), request))
                .map(payment -> judge(request, payment))
                .onFailure().recoverWithItem(failure -> noAnswer(request, failure))
                .await().indefinitely();
    }

    /** What payment-service holds for an order, or that it cannot say. */
    public sealed interface Holdings {
        record Known(List<RemotePayment> payments) implements Holdings {
        }

        record NoAnswer(String reason) implements Holdings {
        }
    }

    /**
     * The payments payment-service holds for an order, read through the same guard as charges (a read: safe to
     * retry); to be called on a worker thread.
     */
    public Holdings paymentsOf(UUID orderId) {
        return guard.call(() -> payments.forOrder(token.authorization(), orderId))
                .<Holdings>map(Holdings.Known::new)
                .onFailure().recoverWithItem(failure -> new Holdings.NoAnswer(
                        Downstreams.PAYMENT_SERVICE + " " + FailureClassifier.describe(failure)))
                .await().indefinitely();
    }

    private static Outcome judge(ChargeRequest request, RemotePayment payment) {
        String mismatch = mismatch(request, payment);
        if (mismatch != null) {
            LOG.errorf("payment-service answered the charge of order %s with %s: %s; the order is cancelled, "
                    + "the payment is left for an operator", request.orderId(), payment.id(), mismatch);
            return new Outcome.Conflict(CONFLICT + ": " + mismatch);
        }
        return payment.completed()
                ? new Outcome.Paid(payment)
                : new Outcome.Declined(payment, "payment declined: " + payment.reason());
    }

    /** What differs between the charge asked for and the payment returned, or null. */
    private static String mismatch(ChargeRequest request, RemotePayment payment) {
        if (!request.orderId().equals(payment.orderId())) {
            return "payment " + payment.id() + " is for order " + payment.orderId();
        }
        if (payment.amount() == null || payment.amount().compareTo(request.amount()) != 0
                || !request.currency().equals(payment.currency())) {
            return "payment " + payment.id() + " is for " + payment.amount() + " " + payment.currency() + ", not "
                    + request.amount().toPlainString() + " " + request.currency();
        }
        return null;
    }

    private static Outcome noAnswer(ChargeRequest request, Throwable failure) {
        if (FailureClassifier.clientErrorStatus(failure) == 409) {
            LOG.errorf("payment-service holds a payment with other terms for order %s (409); the order is "
                    + "cancelled, the payment is left for an operator", request.orderId());
            return new Outcome.Conflict(CONFLICT + ": payment-service holds a payment with other terms for this order");
        }
        int status = httpStatus(failure);
        if (status == 401 || status == 403) {
            LOG.errorf("payment-service refused order-service's credentials (%d): check RESILIENCE_SERVICE_TOKEN, "
                    + "it must be the same on every service", status);
        }
        return new Outcome.NoAnswer(Downstreams.PAYMENT_SERVICE + " " + FailureClassifier.describe(failure));
    }

    private static int httpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof jakarta.ws.rs.WebApplicationException wae && wae.getResponse() != null) {
                return wae.getResponse().getStatus();
            }
        }
        return -1;
    }
}
