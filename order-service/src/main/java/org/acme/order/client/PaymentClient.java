package org.acme.order.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.mutiny.Uni;

/**
 * Charges orders through payment-service's guard. There is no fallback: an order is never confirmed on a guess, so
 * when payment-service cannot answer the outcome says so and the saga cancels the order.
 */
@ApplicationScoped
public class PaymentClient {

    /** How a charge ended: paid, declined (a business answer), or no answer at all. */
    public sealed interface Outcome {
        record Paid(RemotePayment payment) implements Outcome {
        }

        record Declined(RemotePayment payment, String reason) implements Outcome {
        }

        record NoAnswer(String reason) implements Outcome {
        }
    }

    private final PaymentRestClient payments;
    private final DownstreamGuard guard;

    public PaymentClient(@RestClient PaymentRestClient payments, DownstreamGuards guards) {
        this.payments = payments;
        this.guard = guards.get(Downstreams.PAYMENT_SERVICE);
    }

    public Uni<Outcome> charge(ChargeRequest request) {
        return guard.call(() -> payments.charge(request))
                .<Outcome> map(payment -> payment.completed()
                        ? new Outcome.Paid(payment)
                        : new Outcome.Declined(payment, "payment declined: " + payment.reason()))
                .onFailure().recoverWithItem(failure -> new Outcome.NoAnswer(
                        Downstreams.PAYMENT_SERVICE + " " + FailureClassifier.describe(failure)));
    }
}
