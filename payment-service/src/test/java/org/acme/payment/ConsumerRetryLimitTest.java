package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A queue that sets its own retry limit (here 5 attempts, against the default of hours): an event that keeps failing
 * (database cut) is dead-lettered with the reason after exactly those attempts, and the operator replays it once the
 * cause is fixed. Moved from {@link ConsumerDatabaseOutageTest}, whose default ladder no longer gives up within a test.
 */
@QuarkusTest
@TestProfile(ConsumerRetryLimitTest.FiveAttempts.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test"),
        @ResourceArg(name = "postgres-proxy", value = "true") })
class ConsumerRetryLimitTest extends ConsumerQueueFixture {

    /** The per-subscription setting, as an operator would set it; plus the admin token for the replay. */
    public static class FiveAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resilience.admin.token", PaymentRequests.ADMIN_TOKEN,
                    "events.consumer.\"" + QUEUE + "\".retry.max-attempts", "5",
                    "events.consumer.\"" + QUEUE + "\".retry.max-delay", "300ms");
        }
    }

    @AfterEach
    void databaseBack() throws Exception {
        LocalBackends.postgresProxy().restore();
    }

    @Test
    void anEventThatKeepsFailingIsDeadLetteredWithTheReasonAfterTheConfiguredAttempts() throws Exception {
        TcpProxy database = LocalBackends.postgresProxy();
        String orderId = UUID.randomUUID().toString();
        database.cut();
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");

        List<GetResponse> dead = new java.util.concurrent.CopyOnWriteArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            rabbit.drain(DLQ).stream().filter(m -> new String(m.getBody()).contains(orderId)).forEach(dead::add);
            return !dead.isEmpty();
        });
        database.restore();

        assertThat(dead).hasSize(1);
        assertThat(String.valueOf(dead.get(0).getProps().getHeaders().get("x-dead-letter-reason")))
                .startsWith("gave up after 5 attempts");
        assertThat(new String(dead.get(0).getBody())).contains(orderId);
        given().get("/q/health/live").then().statusCode(200);
        assertThat(cancellationRecorded(orderId)).isFalse();
    }

    @Test
    void deadLettersCanBeReplayedByTheOperatorOnceTheCauseIsFixed() throws Exception {
        TcpProxy database = LocalBackends.postgresProxy();
        String orderId = UUID.randomUUID().toString();
        database.cut();
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> given()
                .header("X-Admin-Token", PaymentRequests.ADMIN_TOKEN).get("/admin/dead-letters")
                .then().statusCode(200).extract().<Integer> path("find { it.queue == '"
                        + "payment-service.order-events.test' }.messages") == 1);
        database.restore();

        given().post("/admin/dead-letters/payment-service.order-events.test/replay").then().statusCode(401);
        given().header("X-Admin-Token", PaymentRequests.ADMIN_TOKEN)
                .post("/admin/dead-letters/payment-service.order-events.test/replay")
                .then().statusCode(200).body("replayed", org.hamcrest.Matchers.equalTo(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cancellationRecorded(orderId));
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }
}
