package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.acme.order.Stubs.ACTIVE_USER;
import static org.acme.order.Stubs.placeOrder;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * order-service's link to RabbitMQ flaps, then stays cut for longer than a broker restart takes while orders keep
 * coming, then is restored: the instance comes back by itself, as the chaos harness's 30-minute run showed it must.
 * It is ready again, every event of the orders taken meanwhile reaches the exchange, and what payment-service
 * publishes reaches its order.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "orders_test"),
        @ResourceArg(name = "rabbitmq-proxy", value = "true") })
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class BrokerOutageTest {

    /** Longer than the cut in the run that found the defect (17.5 s), and than the broker's own restart. */
    private static final Duration OUTAGE = Duration.ofSeconds(20);

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
    void afterALongCutOfItsBrokerLinkTheServiceIsReadyAndPublishesAndConsumesAgain() throws Exception {
        TcpProxy broker = LocalBackends.rabbitProxy();
        try (EventTap events = EventTap.bind("order.*")) {
            awaitReady();
            String before = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                    .extract().path("id");
            events.await(e -> before.equals(e.subject()) && "order.created".equals(e.routingKey()),
                    Duration.ofSeconds(15));

            broker.cut();
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> given().get("/q/health/ready").statusCode() == 503);
            for (int flap = 0; flap < 5; flap++) { // first it flaps: back for less time than a reconnect may take
                Thread.sleep(1_500);
                broker.restore();
                Thread.sleep(150 + 100 * flap);
                broker.cut();
            }
            // then it stays away while orders keep coming: they commit, and the relay keeps trying to publish their events
            List<String> during = new ArrayList<>();
            long end = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < end) {
                during.add(placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                        .extract().path("id"));
                Thread.sleep(200);
            }
            broker.restore();

            awaitReady();
            String after = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                    .extract().path("id");
            events.await(e -> after.equals(e.subject()) && "order.created".equals(e.routingKey()),
                    Duration.ofSeconds(30));
            for (String id : during) {
                events.await(e -> id.equals(e.subject()) && "order.created".equals(e.routingKey()),
                        Duration.ofSeconds(30));
            }

            events.publishEvent("payment.refunded", before, Stubs.refundData(before));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/orders/" + before)
                    .then().statusCode(200).body("status", equalTo("REFUNDED")));
        }
    }

    /**
     * While the link is cut, payment-service's events pile up in this service's queue (the chaos run: thousands).
     * When it is back, the broker must not push them all at once into the consumer, whose buffer then overflows and
     * fails the channel for good ("Queue is full, the upstream didn't enforce the requests"): the backlog is consumed
     * and what comes after it too.
     */
    @Test
    void aBacklogBuiltWhileTheLinkWasCutIsConsumedWhenItIsBack() throws Exception {
        TcpProxy broker = LocalBackends.rabbitProxy();
        awaitReady();
        String order = placeOrder(ACTIVE_USER).then().statusCode(201).body("status", equalTo("CONFIRMED"))
                .extract().path("id");
        try (EventTap events = EventTap.bind("order.refunded")) {
            broker.cut();
            for (int i = 0; i < 2_000; i++) { // outcomes the saga already has: each needs only its event id recorded
                events.publishEvent("payment.completed", UUID.randomUUID().toString(), """
                        {"paymentId":"%s","orderId":"%s","userId":1,"amount":28.00,"currency":"EUR",
                         "status":"COMPLETED","reason":null}""".formatted(UUID.randomUUID(), UUID.randomUUID()));
            }
            events.publishEvent("payment.refunded", order, Stubs.refundData(order));
            broker.restore();

            Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/orders/" + order)
                    .then().statusCode(200).body("status", equalTo("REFUNDED")));
            awaitReady();
        }
    }

    private static void awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
