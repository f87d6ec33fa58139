package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.placeOrder;
import static org.acme.order.Stubs.refundData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * payment-service's {@code payment.refunded}, published on the real exchange, reaches the order: a CONFIRMED order an
 * operator refunded and a CANCELLED order whose charge was compensated both become REFUNDED, announced with
 * {@code order.refunded}; a repeat of the event has no second effect.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class OrderRefundTest {

    static EventTap rabbit;

    @Inject
    DownstreamGuards circuits;

    @BeforeAll
    static void tap() {
        rabbit = EventTap.bind("order.refunded");
    }

    @AfterAll
    static void untap() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
    }

    @Test
    void aConfirmedOrderWhosePaymentWasRefundedBecomesRefunded() throws Exception {
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                .extract().path("id");

        String refund = paymentRefunded(id);
        awaitStatus(id, "REFUNDED");
        rabbit.await(e -> id.equals(e.subject()), Duration.ofSeconds(10));

        rabbit.publishEvent(refund, "payment.refunded", id, refundData(id)); // redelivered: no second effect
        rabbit.publishEvent("payment.refunded", id, refundData(id)); // another refund event: still REFUNDED, once
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> rabbit.forSubject(id).size() == 1);
        assertThat(rabbit.forSubject(id)).hasSize(1);
    }

    @Test
    void aCancelledOrderWhoseChargeWasCompensatedBecomesRefunded() throws Exception {
        Stubs.paymentAnswers("DECLINED");
        String id = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CANCELLED"))
                .extract().path("id");

        paymentRefunded(id);
        awaitStatus(id, "REFUNDED");
        given().queryParam("status", "REFUNDED").get("/orders").then().statusCode(200);
    }

    private static String paymentRefunded(String orderId) throws Exception {
        return rabbit.publishEvent("payment.refunded", orderId, refundData(orderId));
    }


    private static void awaitStatus(String orderId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/orders/" + orderId)
                .then().statusCode(200).body("status", equalTo(status)));
    }
}
