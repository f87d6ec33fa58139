package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.placeOrder;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * order-service starts while RabbitMQ cannot be reached, as a restart during a broker outage does: it starts, is not
 * ready, and once the broker can be reached it is ready, publishes and consumes without being restarted.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "orders_test"),
        @ResourceArg(name = "rabbitmq-proxy", value = "true"),
        @ResourceArg(name = "rabbitmq-down-at-start", value = "true") })
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class StartsWithoutItsBrokerTest {

    @Inject
    DownstreamGuards circuits;

    @BeforeEach
    void healthyDownstreams() {
        Stubs.healthyDownstreams(circuits);
        Stubs.paymentAnswers("COMPLETED");
    }

    @AfterEach
    void reconnect() throws Exception {
        LocalBackends.rabbitProxy().restore();
    }

    @Test
    void startedWithoutItsBrokerItBecomesReadyPublishesAndConsumesOnceTheBrokerIsBack() throws Exception {
        try (EventTap events = EventTap.bind("order.*")) {
            given().get("/q/health/ready").then().statusCode(503);
            // an order taken while the broker is away commits, and its events wait in the outbox
            String during = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                    .extract().path("id");
            Thread.sleep(3_000); // a while away: nothing to wait for but time

            LocalBackends.rabbitProxy().restore();

            Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
            events.await(e -> during.equals(e.subject()) && "order.created".equals(e.routingKey()),
                    Duration.ofSeconds(30));
            events.publishEvent("payment.refunded", during, Stubs.refundData(during));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/orders/" + during)
                    .then().statusCode(200).body("status", equalTo("REFUNDED")));
        }
    }
}
