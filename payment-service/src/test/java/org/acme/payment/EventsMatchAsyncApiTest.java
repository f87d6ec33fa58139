package org.acme.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.events.EventCodec;
import org.acme.resilience.testing.AsyncApi;
import org.acme.resilience.testing.LocalBackends;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every event payment-service publishes, built as its outbox builds it (the data from the same
 * {@code PaymentChanged.of(payment)}, the envelope and JSON from the service's own {@link EventCodec}), matches the
 * schema of its message in {@code docs/asyncapi.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "payments_test"))
class EventsMatchAsyncApiTest {

    private static final AsyncApi ASYNC_API = AsyncApi.load();

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @Test
    void everyPaymentEventMatchesItsMessage() {
        Payment payment = payment("JPY", "1500");
        payment.status = PaymentStatus.COMPLETED;
        assertMatches(PaymentEvents.COMPLETED, payment);
        payment.status = PaymentStatus.REFUNDED;
        assertMatches(PaymentEvents.REFUNDED, payment);

        Payment declined = payment("EUR", "25.00");
        declined.status = PaymentStatus.DECLINED;
        declined.reason = "insufficient funds";
        assertMatches(PaymentEvents.DECLINED, declined);
    }

    private void assertMatches(String type, Payment payment) {
        String json = codec.encode(codec.envelope(service, type, payment.orderId.toString(),
                PaymentEvents.PaymentChanged.of(payment)));
        assertThat(ASYNC_API.eventErrors(type, json)).as(json).isEmpty();
    }

    private static Payment payment(String currency, String amount) {
        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.orderId = UUID.randomUUID();
        payment.userId = 1;
        payment.currency = currency;
        payment.amount = new BigDecimal(amount);
        return payment;
    }
}
