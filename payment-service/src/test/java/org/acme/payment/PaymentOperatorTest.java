package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.acme.payment.PaymentRequests.asOrderService;
import static org.acme.payment.PaymentRequests.charge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.UUID;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With the admin token configured: refunds are an operator action, and an operator may read payments. */
@QuarkusTest
@TestProfile(PaymentRequests.WithAdminToken.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test,payment-service.order-events.test.retry") })
class PaymentOperatorTest {

    static EventTap events;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("payment.#");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    static io.restassured.specification.RequestSpecification asOperator() {
        return given().header("X-Admin-Token", PaymentRequests.ADMIN_TOKEN);
    }

    @Test
    void aRefundNeedsTheAdminTokenNotTheServiceToken() {
        String id = charge(UUID.randomUUID(), "20.00").then().statusCode(201).extract().path("id");
        given().post("/payments/" + id + "/refund").then().statusCode(401).contentType("application/problem+json");
        given().header("X-Admin-Token", "wrong").post("/payments/" + id + "/refund").then().statusCode(401);
        asOrderService().post("/payments/" + id + "/refund").then().statusCode(401);
        asOrderService().get("/payments/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void anOperatorCanReadPaymentsButNotCharge() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "21.00").then().statusCode(201).extract().path("id");
        asOperator().get("/payments/" + id).then().statusCode(200);
        asOperator().queryParam("orderId", orderId).get("/payments").then().statusCode(200).body("$", hasSize(1));
        asOperator().queryParam("size", 1).get("/payments").then().statusCode(200).body("$", hasSize(1));
        asOperator().contentType(ContentType.JSON)
                .body("{\"orderId\":\"%s\",\"userId\":1,\"amount\":5.00,\"currency\":\"EUR\"}"
                        .formatted(UUID.randomUUID()))
                .post("/payments").then().statusCode(401);
    }

    // Moved from PaymentResourceTest when refunds became an operator action; unchanged but for the token.
    @Test
    void aRefundIsIdempotent() {
        UUID orderId = UUID.randomUUID();
        String id = charge(orderId, "20.00").then().statusCode(201).extract().path("id");
        asOperator().post("/payments/" + id + "/refund").then().statusCode(200).body("status", equalTo("REFUNDED"));
        asOperator().post("/payments/" + id + "/refund").then().statusCode(200).body("status", equalTo("REFUNDED"));

        events.await(r -> orderId.toString().equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(10));
        assertThat(events.forSubject(orderId.toString()).stream().map(EventTap.Received::routingKey))
                .containsExactly("payment.completed", "payment.refunded");
    }

    @Test
    void aDeclinedPaymentCannotBeRefunded() {
        String id = charge(UUID.randomUUID(), "9999.00").then().statusCode(201).extract().path("id");
        asOperator().post("/payments/" + id + "/refund").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/payment-not-refundable"));
    }

    @Test
    void anUnknownPaymentIsA404Problem() {
        asOperator().post("/payments/" + UUID.randomUUID() + "/refund").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
