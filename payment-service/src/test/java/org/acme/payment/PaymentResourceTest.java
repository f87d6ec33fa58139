package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test") })
class PaymentResourceTest {

    static EventTap events;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("payment.#");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    static Response charge(UUID orderId, String amount) {
        return given().contentType(ContentType.JSON)
                .body("""
                        {"orderId":"%s","userId":1,"amount":%s,"currency":"EUR"}""".formatted(orderId, amount))
                .post("/payments");
    }

    @Test
    void aChargeWithinTheLimitCompletesAndIsAnnounced() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "42.50").then().statusCode(201)
                .body("status", equalTo("COMPLETED"))
                .body("orderId", equalTo(orderId.toString()))
                .body("amount", equalTo(42.5f))
                .extract().path("id");

        given().get("/payments/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"));
        given().queryParam("orderId", orderId).get("/payments").then().statusCode(200)
                .body("$", hasSize(1)).body("id", hasItem(id));
        EventTap.Received event = events.await(r -> orderId.toString().equals(r.subject()), Duration.ofSeconds(10));
        assertThat(event.routingKey()).isEqualTo("payment.completed");
        assertThat(event.body().path("data").path("paymentId").asText()).isEqualTo(id);
    }

    @Test
    void aChargeOverTheLimitIsDeclinedAsANormalOutcome() {
        UUID orderId = UUID.randomUUID();
        charge(orderId, "5000.00").then().statusCode(201)
                .body("status", equalTo("DECLINED"))
                .body("reason", equalTo("amount 5000.00 exceeds the limit of 1000.00"));
        EventTap.Received event = events.await(r -> orderId.toString().equals(r.subject()), Duration.ofSeconds(10));
        assertThat(event.routingKey()).isEqualTo("payment.declined");
    }

    @Test
    void chargingTheSameOrderTwiceReturnsTheFirstPaymentAndChargesOnce() {
        UUID orderId = UUID.randomUUID();
        String first = charge(orderId, "10.00").then().statusCode(201).extract().path("id");
        String second = charge(orderId, "10.00").then().statusCode(200).extract().path("id");
        assertThat(second).isEqualTo(first);
        given().queryParam("orderId", orderId).get("/payments").then().body("$", hasSize(1));
    }

    @Test
    void concurrentChargesOfOneOrderTakeMoneyOnce() throws Exception {
        UUID orderId = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = IntStream.range(0, 8)
                    .<Callable<Response>> mapToObj(i -> () -> charge(orderId, "15.00")).toList();
            List<Response> responses = pool.invokeAll(calls).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            Set<String> ids = responses.stream().map(r -> r.<String> path("id")).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(7);
        } finally {
            pool.shutdown();
        }
        events.await(r -> orderId.toString().equals(r.subject()), Duration.ofSeconds(10));
        Thread.sleep(500); // a second event, if there were one, would have arrived by now
        assertThat(events.forSubject(orderId.toString())).hasSize(1);
    }

    @Test
    void aRefundIsIdempotent() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "20.00").then().statusCode(201).extract().path("id");
        given().post("/payments/" + id + "/refund").then().statusCode(200).body("status", equalTo("REFUNDED"));
        given().post("/payments/" + id + "/refund").then().statusCode(200).body("status", equalTo("REFUNDED"));

        events.await(r -> orderId.toString().equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(10));
        assertThat(events.forSubject(orderId.toString()).stream().map(EventTap.Received::routingKey))
                .containsExactly("payment.completed", "payment.refunded");
    }

    @Test
    void aDeclinedPaymentCannotBeRefunded() {
        String id = charge(UUID.randomUUID(), "9999.00").then().statusCode(201).extract().path("id");
        given().post("/payments/" + id + "/refund").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/payment-not-refundable"));
    }

    @Test
    void anOrderCancelledEventRefundsItsPaymentOnceEvenWhenDeliveredTwice() throws Exception {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "30.00").then().statusCode(201).extract().path("id");

        String eventId = UUID.randomUUID().toString();
        String data = "{\"orderId\":\"%s\",\"reason\":\"test\"}".formatted(orderId);
        events.publishEvent(eventId, "order.cancelled", orderId.toString(), data);
        events.publishEvent(eventId, "order.cancelled", orderId.toString(), data);

        events.await(r -> orderId.toString().equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(10));
        given().get("/payments/" + id).then().body("status", equalTo("REFUNDED"));
        Thread.sleep(500); // give a second refund, if there were one, the time to show up
        assertThat(events.forSubject(orderId.toString()).stream()
                .filter(r -> "payment.refunded".equals(r.routingKey()))).hasSize(1);
    }

    @Test
    void aChargeArrivingAfterItsOrderWasCancelledIsDeclined() throws Exception {
        UUID orderId = UUID.randomUUID();
        events.publishEvent("order.cancelled", orderId.toString(), "{\"orderId\":\"%s\"}".formatted(orderId));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> charge(orderId, "12.00")
                .then().body("status", equalTo("DECLINED"))
                .body("reason", equalTo("order " + orderId + " was already cancelled")));
    }

    @Test
    void badChargesAre400ProblemsNamingTheField() {
        given().contentType(ContentType.JSON)
                .body("{\"orderId\":\"%s\",\"userId\":1,\"amount\":-5,\"currency\":\"XXY\"}"
                        .formatted(UUID.randomUUID()))
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("amount"))
                .body("errors.field", hasItem("currency"));
        given().contentType(ContentType.JSON).body("{\"userId\":1,\"amount\":5,\"currency\":\"EUR\"}")
                .post("/payments")
                .then().statusCode(400).body("errors.field", hasItem("orderId"));
        given().contentType(ContentType.JSON).body("{\"orderId\":\"not-a-uuid\",\"userId\":1,\"amount\":5}")
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("orderId"));
        given().contentType(ContentType.JSON).body("[1,2")
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anUnknownPaymentIsA404Problem() {
        given().get("/payments/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().post("/payments/" + UUID.randomUUID() + "/refund").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void faultInjectionDoesNotExistWithoutAnAdminToken() {
        given().get("/admin/faults").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"latencyMillis\":0,\"failureRate\":1,\"down\":true}")
                .put("/admin/faults").then().statusCode(404);
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
