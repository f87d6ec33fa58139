package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With the admin token configured, an operator can make /payments slow, flaky or down at run time. */
@QuarkusTest
@TestProfile(PaymentRequests.WithAdminToken.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test") })
class FaultInjectionTest {

    private static void inject(long latencyMillis, double failureRate, boolean down) {
        given().header("X-Admin-Token", PaymentRequests.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{\"latencyMillis\":%d,\"failureRate\":%s,\"down\":%s}".formatted(latencyMillis, failureRate,
                        down))
                .put("/admin/faults")
                .then().statusCode(200).body("down", equalTo(down));
    }

    @AfterEach
    void heal() {
        inject(0, 0.0, false);
    }

    @Test
    void downAnswers503ToEveryPaymentsRequest() {
        inject(0, 0.0, true);
        PaymentRequests.charge(UUID.randomUUID(), "10.00").then().statusCode(503)
                .contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(200); // the process itself stays healthy
    }

    @Test
    void aFailureRateOfOneFailsEveryPaymentsRequestAndZeroNone() {
        inject(0, 1.0, false);
        for (int i = 0; i < 5; i++) {
            PaymentRequests.charge(UUID.randomUUID(), "10.00").then().statusCode(500);
        }
        inject(0, 0.0, false);
        PaymentRequests.charge(UUID.randomUUID(), "10.00").then().statusCode(201);
    }

    @Test
    void latencyIsAddedBeforeTheRequestIsHandled() {
        inject(300, 0.0, false);
        long start = System.nanoTime();
        PaymentRequests.charge(UUID.randomUUID(), "10.00").then().statusCode(201);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void theEndpointNeedsTheTokenAndValidInput() {
        given().get("/admin/faults").then().statusCode(401).contentType("application/problem+json");
        given().header("X-Admin-Token", "wrong").get("/admin/faults").then().statusCode(401);
        given().header("X-Admin-Token", PaymentRequests.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{\"latencyMillis\":-1,\"failureRate\":2,\"down\":false}").put("/admin/faults")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
