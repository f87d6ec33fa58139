package org.acme.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.order.client.Downstreams;
import org.acme.resilience.events.EventCodec;
import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.testing.AsyncApi;
import org.acme.resilience.testing.LocalBackends;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Every event order-service publishes, built as its outbox builds it (the data from the same {@code of(order)} and
 * {@link CircuitTransition#data()}, the envelope and JSON from the service's own {@link EventCodec}), matches the
 * schema of its message in {@code docs/asyncapi.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class EventsMatchAsyncApiTest {

    private static final AsyncApi ASYNC_API = AsyncApi.load();

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @Test
    void everyOrderEventMatchesItsMessage() {
        Order order = order("EUR", "12.50", 2);
        assertMatches(OrderEvents.CREATED, order);
        order.status = OrderStatus.CONFIRMED;
        order.paymentId = UUID.randomUUID();
        assertMatches(OrderEvents.CONFIRMED, order);
        order.status = OrderStatus.REFUNDED;
        assertMatches(OrderEvents.REFUNDED, order);

        Order cancelled = order("KWD", "1.234", 3);
        cancelled.status = OrderStatus.CANCELLED;
        cancelled.reason = "payment declined: insufficient funds";
        assertMatches(OrderEvents.CANCELLED, cancelled);
    }

    @Test
    void everyCircuitEventMatchesItsMessage() {
        for (CircuitBreakerState[] step : new CircuitBreakerState[][] {
                { CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN },
                { CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN },
                { CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED } }) {
            CircuitTransition transition = new CircuitTransition(Downstreams.PAYMENT_SERVICE, step[0], step[1],
                    "a reason", Instant.now());
            String json = codec.encode(codec.envelope(service, transition.eventType(), transition.downstream(),
                    transition.data()));
            assertThat(ASYNC_API.eventErrors(transition.eventType(), json)).as(json).isEmpty();
        }
    }

    private void assertMatches(String type, Order order) {
        String json = codec.encode(codec.envelope(service, type, order.id.toString(),
                OrderEvents.OrderChanged.of(order)));
        assertThat(ASYNC_API.eventErrors(type, json)).as(json).isEmpty();
    }

    private static Order order(String currency, String unitPrice, int quantity) {
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.userId = 1;
        order.currency = currency;
        order.status = OrderStatus.PENDING;
        OrderItem item = new OrderItem();
        item.sku = "SKU-1";
        item.quantity = quantity;
        item.unitPrice = new BigDecimal(unitPrice);
        order.items.add(item);
        order.total = item.lineTotal();
        return order;
    }
}
