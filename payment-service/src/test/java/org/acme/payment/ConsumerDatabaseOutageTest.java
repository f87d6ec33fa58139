package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A valid event while payment-service's database is unreachable (a TCP proxy in front of PostgreSQL, cut): it is
 * retried through the queue's ladder of delay queues (200 ms up to 2 s in tests, 300 attempts) and handled once the
 * database is back, however long it was away; never requeued in a loop, never dropped. With a limit configured for
 * the queue, see {@link ConsumerRetryLimitTest}.
 */
@QuarkusTest
@TestProfile(PaymentRequests.WithAdminToken.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test"),
        @ResourceArg(name = "postgres-proxy", value = "true") })
class ConsumerDatabaseOutageTest extends ConsumerQueueFixture {

    @AfterEach
    void databaseBack() throws Exception {
        LocalBackends.postgresProxy().restore();
    }

    @Test
    void anEventIsRetriedWhileTheDatabaseIsAwayAndHandledWhenItIsBack() throws Exception {
        TcpProxy database = LocalBackends.postgresProxy();
        String orderId = UUID.randomUUID().toString();
        database.cut();
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");
        // Attempts 200 ms, 400 ms apart: two or three fail meanwhile, and the service stays alive throughout.
        Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> {
            given().get("/q/health/live").then().statusCode(200);
            return !cancellationRecorded(orderId);
        });

        database.restore();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cancellationRecorded(orderId));
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }

    /**
     * Issue 24 item 1: a compensation must outlast a database outage of any length. A charged order is cancelled
     * while payment-service's database is away for 60 s: nothing is dead-lettered meanwhile, and once the database is
     * back the payment ends refunded, with no operator action.
     */
    @Test
    void aRefundSurvivesASixtySecondDatabaseOutageWithNoOperatorAction() throws Exception {
        UUID order = UUID.randomUUID();
        PaymentRequests.charge(order, "42.00").then().statusCode(201);
        String orderId = order.toString();
        // The outage starts after the charge's own event is out, so it hits the compensation only.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unpublishedEvents() == 0);
        TcpProxy database = LocalBackends.postgresProxy();
        database.cut();
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");

        List<String> deadLetters = new CopyOnWriteArrayList<>();
        Awaitility.await().during(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(70))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    rabbit.drain(DLQ).stream().map(m -> new String(m.getBody()))
                            .filter(body -> body.contains(orderId)).forEach(deadLetters::add);
                    return deadLetters.isEmpty();
                });
        database.restore();

        rabbit.await(r -> orderId.equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(30));
        assertThat(paymentStatus(orderId)).isEqualTo("REFUNDED");
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }

    private static int unpublishedEvents() throws Exception {
        try (Connection c = LocalBackends.connect("payments_test");
                var query = c.prepareStatement("select count(*) from outbox where published_at is null")) {
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String paymentStatus(String orderId) throws Exception {
        try (Connection c = LocalBackends.connect("payments_test");
                var query = c.prepareStatement("select status from payment where order_id = ?::uuid")) {
            query.setString(1, orderId);
            ResultSet rs = query.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
