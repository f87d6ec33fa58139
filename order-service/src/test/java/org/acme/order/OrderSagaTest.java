package org.acme.order;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.BLOCKED_USER;
import static org.acme.order.Stubs.UNKNOWN_USER;
import static org.acme.order.Stubs.mock;
import static org.acme.order.Stubs.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.order.service.PendingOrderRecovery;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;

@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderSagaTest {

    static EventTap events;

    @Inject
    DownstreamGuards circuits;

    @Inject
    PendingOrderRecovery recovery;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("order.#");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    @BeforeEach
    void freshDownstreams() {
        mock().resetAll();
        circuits.all().forEach(DownstreamGuard::reset);
        Stubs.userServiceKnowsTheDemoUsers();
    }

    @Test
    void aPaidOrderIsConfirmedAndEveryStepIsPublished() {
        Stubs.paymentAnswers("COMPLETED");

        String id = placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CONFIRMED"))
                .body("total", equalTo(28.0f))
                .body("currency", equalTo("EUR"))
                .body("items.sku", equalTo(List.of("BOOK-1", "PEN-9")))
                .extract().path("id");

        given().get("/orders/" + id).then().statusCode(200).body("status", equalTo("CONFIRMED"));
        mock().verify(1, postRequestedFor(urlEqualTo("/payments")));
        assertThat(routingKeysOf(id, 2)).containsExactly("order.created", "order.confirmed");
        EventTap.Received confirmed = events.forSubject(id).get(1);
        assertThat(confirmed.body().path("source").asText()).isEqualTo("order-service");
        assertThat(confirmed.body().path("data").path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(confirmed.properties().getDeliveryMode()).isEqualTo(2);
    }

    @Test
    void aDeclinedPaymentCancelsTheOrderWithTheReason() {
        Stubs.paymentAnswers("DECLINED");

        String id = placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment declined: amount exceeds the limit"))
                .extract().path("id");

        assertThat(routingKeysOf(id, 2)).containsExactly("order.created", "order.cancelled");
        mock().verify(1, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void aFailingPaymentServiceIsRetriedThenTheOrderIsCancelled() {
        Stubs.paymentFailsWith(503);

        String id = placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment-service failed with 503"))
                .extract().path("id");

        mock().verify(3, postRequestedFor(urlEqualTo("/payments"))); // first attempt + 2 retries
        assertThat(routingKeysOf(id, 2)).containsExactly("order.created", "order.cancelled");
    }

    @Test
    void aPaymentThatTimesOutCancelsTheOrderSoPaymentServiceRefundsAnyCharge() {
        Stubs.paymentTakes(1_500);

        String id = placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment-service timed out"))
                .extract().path("id");

        EventTap.Received cancelled = events.await(
                r -> id.equals(r.subject()) && "order.cancelled".equals(r.routingKey()), Duration.ofSeconds(10));
        assertThat(cancelled.body().path("data").path("reason").asText()).isEqualTo("payment-service timed out");
    }

    @Test
    void aPaymentServiceRejectingTheRequestIsNotRetried() {
        Stubs.paymentFailsWith(400);

        placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("payment-service rejected the request with 400"));
        mock().verify(1, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void anUnknownUserIsA422AndNoOrderIsCreated() {
        long before = countOrders();
        placeOrder(UNKNOWN_USER).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/unknown-user"))
                .body("detail", equalTo("no user with id 404"));
        mock().verify(1, getRequestedFor(urlEqualTo("/users/" + UNKNOWN_USER))); // a 404 is an answer: no retry
        mock().verify(0, postRequestedFor(urlEqualTo("/payments")));
        assertThat(countOrders()).isEqualTo(before);
    }

    @Test
    void aBlockedUserIsA422() {
        placeOrder(BLOCKED_USER).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/user-blocked"));
        mock().verify(0, postRequestedFor(urlEqualTo("/payments")));
    }

    @Test
    void aRecentlySeenUserIsServedFromCacheWhileUserServiceFails() {
        Stubs.paymentAnswers("COMPLETED");
        Stubs.user(7, "ACTIVE");
        placeOrder(7).then().statusCode(201).body("userFromCache", equalTo(false));

        mock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/users/7"))
                .willReturn(Stubs.problem(500)));
        placeOrder(7).then().statusCode(201)
                .body("status", equalTo("CONFIRMED"))
                .body("userFromCache", equalTo(true));
    }

    @Test
    void aUserThatCannotBeCheckedIsA503AndNoOrderIsCreated() {
        mock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/users/8"))
                .willReturn(Stubs.problem(500)));
        long before = countOrders();
        placeOrder(8).then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("/problems/downstream-unavailable"))
                .body("detail", startsWith("cannot check user 8: user-service failed with 500"));
        assertThat(countOrders()).isEqualTo(before);
    }

    @Test
    void anOrderLeftPendingByACrashIsCancelledAndCompensatedByRecovery() {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            Order order = new Order();
            order.id = id;
            order.userId = ACTIVE_USER;
            order.total = new java.math.BigDecimal("10.00");
            order.currency = "EUR";
            order.status = OrderStatus.PENDING;
            order.persistAndFlush();
            // created five minutes ago by the database's clock, which is what recovery reads
            Order.getEntityManager()
                    .createNativeQuery("update orders set created_at = now() - interval '5 minutes' where id = ?1")
                    .setParameter(1, id).executeUpdate();
        });

        assertThat(recovery.recover()).isGreaterThanOrEqualTo(1);

        given().get("/orders/" + id).then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("reason", startsWith("saga interrupted"));
        events.await(r -> id.toString().equals(r.subject()) && "order.cancelled".equals(r.routingKey()),
                Duration.ofSeconds(10));
        given().queryParam("status", "PENDING").get("/orders").then().statusCode(200)
                .body("id", not(hasItem(id.toString())));
    }

    @Test
    void ordersCanBeListedByStatus() {
        Stubs.paymentAnswers("COMPLETED");
        String confirmed = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");
        Stubs.paymentAnswers("DECLINED");
        String cancelled = placeOrder(ACTIVE_USER).then().statusCode(201).extract().path("id");

        given().queryParam("status", "CONFIRMED").get("/orders").then().statusCode(200)
                .body("status", everyItem(equalTo("CONFIRMED")))
                .body("id", hasItem(confirmed)).body("id", not(hasItem(cancelled)));
        given().queryParam("status", "CANCELLED").get("/orders").then().statusCode(200)
                .body("status", everyItem(equalTo("CANCELLED")))
                .body("id", hasItem(cancelled)).body("id", not(hasItem(confirmed)));
        given().get("/orders").then().statusCode(200).body("id", hasItem(confirmed)).body("id", hasItem(cancelled));
        given().queryParam("status", "BOGUS").get("/orders").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void chargesCarryTheServiceToken() {
        Stubs.paymentAnswers("COMPLETED");
        placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
        mock().verify(1, postRequestedFor(urlEqualTo("/payments"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        Stubs.SERVICE_AUTHORIZATION)));
    }

    @Test
    void paymentServiceRefusingOurCredentialsIsATechnicalFailureNotABusinessAnswer() {
        for (int status : new int[] { 401, 403 }) {
            circuits.all().forEach(DownstreamGuard::reset);
            mock().resetRequests();
            Stubs.paymentFailsWith(status);
            int failuresBefore = paymentServiceFailures(); // counts are cumulative

            placeOrder(ACTIVE_USER).then().statusCode(201)
                    .body("status", equalTo("CANCELLED"))
                    .body("reason", equalTo("payment-service failed with " + status));
            mock().verify(3, postRequestedFor(urlEqualTo("/payments"))); // retried like any technical failure
            assertThat(paymentServiceFailures() - failuresBefore).isEqualTo(3); // and counted by the breaker
        }
    }

    @Test
    void aConflictingPaymentIs409AndTheOrderIsCancelledNeverConfirmed() {
        Stubs.paymentFailsWith(409); // payment-service holds a payment with other terms for this order id
        int failuresBefore = paymentServiceFailures(); // counts are cumulative

        String id = placeOrder(ACTIVE_USER).then().statusCode(201)
                .body("status", equalTo("CANCELLED"))
                .body("reason", startsWith("payment conflict"))
                .body("paymentId", org.hamcrest.Matchers.nullValue())
                .extract().path("id");

        mock().verify(1, postRequestedFor(urlEqualTo("/payments"))); // a business answer: not retried
        assertThat(paymentServiceFailures()).isEqualTo(failuresBefore); // nor a breaker failure
        // the cancellation carries this order's terms, so payment-service can tell the other payment apart
        EventTap.Received cancelled = events.await(
                r -> id.equals(r.subject()) && "order.cancelled".equals(r.routingKey()), Duration.ofSeconds(10));
        assertThat(cancelled.body().path("data").path("total").decimalValue()).isEqualByComparingTo("28.00");
        assertThat(cancelled.body().path("data").path("currency").asText()).isEqualTo("EUR");
        assertThat(cancelled.body().path("data").path("userId").asLong()).isEqualTo(ACTIVE_USER);
    }

    @Test
    void aPaymentWithOtherTermsThanAskedIsNeverConfirmed() {
        for (String[] other : new String[][] { { "0.01", "EUR" }, { "28.00", "USD" } }) {
            Stubs.paymentAnswersWithTerms(other[0], other[1]);

            placeOrder(ACTIVE_USER).then().statusCode(201)
                    .body("status", equalTo("CANCELLED"))
                    .body("reason", startsWith("payment conflict"))
                    .body("reason", org.hamcrest.Matchers.containsString(other[0] + " " + other[1]))
                    .body("paymentId", org.hamcrest.Matchers.nullValue());
        }
        Stubs.paymentAnswersWithTerms("28", "EUR"); // the same amount, written otherwise, is the same terms
        placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"));
    }

    private static int paymentServiceFailures() {
        return given().get("/resilience/circuits").then().statusCode(200).extract()
                .path("find { it.name == 'payment-service' }.counts.failures");
    }

    private static List<String> routingKeysOf(String orderId, int expected) {
        events.await(r -> events.forSubject(orderId).size() >= expected, Duration.ofSeconds(10));
        return events.forSubject(orderId).stream().map(EventTap.Received::routingKey).toList();
    }

    private static long countOrders() {
        return QuarkusTransaction.requiringNew().call(() -> Order.count());
    }
}
