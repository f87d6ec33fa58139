package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.acme.payment.PaymentRequests.asOrderService;
import static org.acme.payment.PaymentRequests.charge;
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
import org.awaitility.Awaitility;
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

    @Test
    void aChargeWithinTheLimitCompletesAndIsAnnounced() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "42.50").then().statusCode(201)
                .body("status", equalTo("COMPLETED"))
                .body("orderId", equalTo(orderId.toString()))
                .body("amount", equalTo(42.5f))
                .extract().path("id");

        asOrderService().get("/payments/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"));
        asOrderService().queryParam("orderId", orderId).get("/payments").then().statusCode(200)
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
        asOrderService().queryParam("orderId", orderId).get("/payments").then().body("$", hasSize(1));
    }

    @Test
    void aRepeatedChargeWithOtherTermsIsA409ProblemAndTakesNothing() {
        UUID orderId = UUID.randomUUID();
        String first = charge(orderId, 1, "10.00", "EUR").then().statusCode(201).extract().path("id");

        for (Response repeat : List.of(charge(orderId, 1, "0.01", "EUR"), charge(orderId, 1, "10.00", "USD"),
                charge(orderId, 2, "10.00", "EUR"))) {
            repeat.then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("/problems/payment-conflict"))
                    .body("status", equalTo(409))
                    .body("detail", org.hamcrest.Matchers.containsString("10.00 EUR by user 1"));
        }
        charge(orderId, 1, "10", "EUR").then().statusCode(200).body("id", equalTo(first)); // same amount, other notation
        asOrderService().queryParam("orderId", orderId).get("/payments").then()
                .body("$", hasSize(1)).body("[0].amount", equalTo(10.0f)).body("[0].status", equalTo("COMPLETED"));
    }

    @Test
    void amountsHaveTheirCurrencysMinorUnits() {
        String jpy = charge(UUID.randomUUID(), 1, "1500", "JPY").then().statusCode(201)
                .body("status", equalTo("COMPLETED")).extract().asString();
        assertThat(jpy).contains("\"amount\":1500,"); // no minor unit: not 1500.00
        String kwd = charge(UUID.randomUUID(), 1, "1.234", "KWD").then().statusCode(201).extract().asString();
        assertThat(kwd).contains("\"amount\":1.234,");
        String eur = charge(UUID.randomUUID(), 1, "7.5", "EUR").then().statusCode(201).extract().asString();
        assertThat(eur).contains("\"amount\":7.50,");

        for (String[] tooPrecise : new String[][] { { "12.5", "JPY" }, { "12.345", "EUR" }, { "1.2345", "KWD" } }) {
            charge(UUID.randomUUID(), 1, tooPrecise[0], tooPrecise[1]).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("amount")));
        }
        charge(UUID.randomUUID(), 1, "10000000000000", "EUR").then().statusCode(400) // more than storage holds
                .body("errors.field", equalTo(List.of("amount")));
        charge(UUID.randomUUID(), 1, "10.00", "XAU").then().statusCode(400) // ISO 4217, but not taken here
                .body("errors.field", equalTo(List.of("currency")));
    }

    @Test
    void theLimitIsPerCurrency() {
        charge(UUID.randomUUID(), 1, "100000", "JPY").then().statusCode(201).body("status", equalTo("COMPLETED"));
        charge(UUID.randomUUID(), 1, "150001", "JPY").then().statusCode(201).body("status", equalTo("DECLINED"))
                .body("reason", equalTo("amount 150001 exceeds the limit of 150000"));
        charge(UUID.randomUUID(), 1, "300.001", "KWD").then().statusCode(201).body("status", equalTo("DECLINED"))
                .body("reason", equalTo("amount 300.001 exceeds the limit of 300.000"));
    }

    @Test
    void onlyOrderServiceWithTheServiceTokenCanChargeOrRead() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "11.00").then().statusCode(201).extract().path("id");
        String body = """
                {"orderId":"%s","userId":1,"amount":5.00,"currency":"EUR"}""".formatted(UUID.randomUUID());
        for (String authorization : new String[] { null, "Bearer wrong", "test-service-token",
                "Basic dGVzdC1zZXJ2aWNlLXRva2Vu" }) {
            var request = authorization == null ? given() : given().header("Authorization", authorization);
            request.contentType(ContentType.JSON).body(body).post("/payments").then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", startsWithBearer());
            (authorization == null ? given() : given().header("Authorization", authorization))
                    .get("/payments").then().statusCode(401);
            (authorization == null ? given() : given().header("Authorization", authorization))
                    .queryParam("orderId", orderId).get("/payments").then().statusCode(401);
            (authorization == null ? given() : given().header("Authorization", authorization))
                    .get("/payments/" + id).then().statusCode(401);
        }
        // an unauthenticated request learns nothing about its body, not even that it is malformed
        given().contentType(ContentType.JSON).body("[1,2").post("/payments").then().statusCode(401);
        // the admin token is not configured here: refunds (an operator action) do not exist
        asOrderService().post("/payments/" + id + "/refund").then().statusCode(404)
                .contentType("application/problem+json");
        asOrderService().get("/payments/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"));
    }

    private static org.hamcrest.Matcher<String> startsWithBearer() {
        return org.hamcrest.Matchers.startsWith("Bearer");
    }

    @Test
    void listingIsPaged() {
        for (int i = 0; i < 3; i++) {
            charge(UUID.randomUUID(), "1.00").then().statusCode(201);
        }
        Response firstPage = asOrderService().queryParam("size", 2).get("/payments");
        firstPage.then().statusCode(200).body("$", hasSize(2))
                .header("Link", org.hamcrest.Matchers.containsString("rel=\"next\""));
        String next = firstPage.getHeader("Link").replaceAll("^<([^>]*)>.*$", "$1");
        assertThat(next).contains("page=1").contains("size=2");
        List<String> firstIds = firstPage.path("id");
        List<String> secondIds = asOrderService().queryParam("size", 2).queryParam("page", 1).get("/payments")
                .then().statusCode(200).extract().path("id");
        assertThat(secondIds).isNotEmpty().doesNotContainAnyElementsOf(firstIds);
        asOrderService().get("/payments").then().statusCode(200).body("size()", org.hamcrest.Matchers.lessThanOrEqualTo(50));
        asOrderService().queryParam("size", 101).get("/payments").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("size"));
        asOrderService().queryParam("page", -1).get("/payments").then().statusCode(400)
                .body("errors.field", hasItem("page"));
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
        // a second event, if there were one, would arrive within this window
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> events.forSubject(orderId.toString()).size() == 1);
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
        asOrderService().get("/payments/" + id).then().body("status", equalTo("REFUNDED"));
        // a second refund, if there were one, would show up within this window
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> events.forSubject(orderId.toString()).stream()
                        .filter(r -> "payment.refunded".equals(r.routingKey())).count() == 1);
    }

    @Test
    void aCancellationWithOtherTermsThanThePaymentDoesNotRefundIt() throws Exception {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, 1, "30.00", "EUR").then().statusCode(201).extract().path("id");

        // what order-service publishes after a 409 or a mismatch: the order as it is, with its own terms
        events.publishEvent("order.cancelled", orderId.toString(), """
                {"orderId":"%s","userId":1,"total":0.01,"currency":"EUR","status":"CANCELLED",\
                "reason":"payment conflict: payment-service holds other terms"}""".formatted(orderId));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cancellationRecorded(orderId));

        asOrderService().get("/payments/" + id).then().body("status", equalTo("COMPLETED"));
        // a refund event, if there were one, would arrive within this window
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(events.forSubject(orderId.toString()).stream()
                        .map(EventTap.Received::routingKey)).containsExactly("payment.completed"));
    }

    @Test
    void aCancellationWithTheSameTermsRefundsWhateverTheNotation() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, 2, "1500", "JPY").then().statusCode(201).extract().path("id");
        try {
            events.publishEvent("order.cancelled", orderId.toString(), """
                    {"orderId":"%s","userId":2,"total":1500.00,"currency":"JPY","status":"CANCELLED",\
                    "reason":"payment-service timed out"}""".formatted(orderId));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        events.await(r -> orderId.toString().equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(10));
        asOrderService().get("/payments/" + id).then().body("status", equalTo("REFUNDED"));
    }

    private static boolean cancellationRecorded(UUID orderId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> CancelledOrder.findById(orderId) != null);
    }

    @Test
    void aChargeArrivingAfterItsOrderWasCancelledIsDeclined() throws Exception {
        UUID orderId = UUID.randomUUID();
        events.publishEvent("order.cancelled", orderId.toString(), "{\"orderId\":\"%s\"}".formatted(orderId));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> charge(orderId, "12.00")
                .then().body("status", equalTo("DECLINED"))
                .body("reason", equalTo("order " + orderId + " was already cancelled")));
    }

    @Test
    void badChargesAre400ProblemsNamingTheField() {
        asOrderService().contentType(ContentType.JSON)
                .body("{\"orderId\":\"%s\",\"userId\":1,\"amount\":-5,\"currency\":\"XXY\"}"
                        .formatted(UUID.randomUUID()))
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("amount"))
                .body("errors.field", hasItem("currency"));
        asOrderService().contentType(ContentType.JSON).body("{\"userId\":1,\"amount\":5,\"currency\":\"EUR\"}")
                .post("/payments")
                .then().statusCode(400).body("errors.field", hasItem("orderId"));
        asOrderService().contentType(ContentType.JSON).body("{\"orderId\":\"not-a-uuid\",\"userId\":1,\"amount\":5}")
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("orderId"));
        asOrderService().contentType(ContentType.JSON).body("[1,2")
                .post("/payments")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anUnknownPaymentIsA404Problem() {
        asOrderService().get("/payments/" + UUID.randomUUID()).then().statusCode(404)
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
