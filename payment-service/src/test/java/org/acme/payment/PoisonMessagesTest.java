package org.acme.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Anything may arrive on domain_events. Published here with a plain AMQP client, as any producer could: what can never
 * be handled lands in the dead-letter queue with its reason, at once; an unknown type is passed over and counted; what
 * is valid, also behind it, is handled.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test") })
class PoisonMessagesTest extends ConsumerQueueFixture {


    private static List<GetResponse> awaitDeadLetters(int count) {
        List<GetResponse> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen.addAll(rabbit.drain(DLQ));
            return seen.size() >= count;
        });
        return seen;
    }

    private static String chargedOrder() {
        UUID orderId = UUID.randomUUID();
        PaymentRequests.charge(orderId, "25.00").then().statusCode(201);
        return orderId.toString();
    }

    private static void awaitRefund(String orderId) {
        rabbit.await(r -> orderId.equals(r.subject()) && "payment.refunded".equals(r.routingKey()),
                Duration.ofSeconds(10));
    }

    @Test
    void garbageIsDeadLetteredAtOnceAndTheMessageBehindItIsStillHandled() throws Exception {
        String orderId = chargedOrder();
        byte[] garbage = "\u0000\u0001 not json at all".getBytes(StandardCharsets.UTF_8);
        rabbit.publishBytes("order.cancelled", garbage);
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");

        awaitRefund(orderId);
        List<GetResponse> dead = awaitDeadLetters(1);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getBody()).isEqualTo(garbage);
        assertThat(reason(dead.get(0))).startsWith("malformed: body is not a JSON event envelope");
        assertThat(String.valueOf(dead.get(0).getProps().getHeaders().get("x-original-routing-key")))
                .isEqualTo("order.cancelled");
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void jsonOfTheWrongShapeIsDeadLettered() throws Exception {
        rabbit.publish("order.cancelled", "{\"hello\":\"world\"}");
        rabbit.publish("order.cancelled", """
                {"specversion":"1.0","id":"%s","source":"test","type":"order.cancelled",
                 "subject":"not-an-order-id","data":{}}""".formatted(UUID.randomUUID()));

        List<GetResponse> dead = awaitDeadLetters(2);
        assertThat(dead).extracting(ConsumerQueueFixture::reason).containsExactlyInAnyOrder(
                "malformed: envelope field 'id' is missing",
                "malformed: subject of order.cancelled is not an order id: not-an-order-id");
    }

    /**
     * ARCHITECTURE.md (Messaging): an unknown event type on a wildcard binding is acknowledged and counted, not
     * dead-lettered (it was dead-lettered before): a producer may add a type before its consumers know it.
     */
    @Test
    void anUnknownEventTypeUnderTheBoundPatternIsCountedAndPassedOver() throws Exception {
        String orderId = chargedOrder();
        rabbit.publishEvent("order.exploded", orderId, "{}");
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");

        awaitRefund(orderId);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("events_unknown_type_total{queue=\"payment-service.order-events.test\"}"))
                .body(containsString("events_dead_letters{queue=\"payment-service.order-events.test\"}")));
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }

    @Test
    void aValidCancellationOfAnUnknownOrderIsHandledNotDeadLettered() throws Exception {
        String unknownOrder = UUID.randomUUID().toString();
        rabbit.publishEvent("order.cancelled", unknownOrder, "{\"orderId\":\"" + unknownOrder + "\"}");
        // handled: the cancellation is remembered, so a late charge for that order is declined
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> PaymentRequests
                .charge(UUID.fromString(unknownOrder), "5.00").then().body("status", equalTo("DECLINED")));
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }

    @Test
    void eventsOfOtherOrderStepsArePassedOverQuietly() throws Exception {
        String orderId = chargedOrder();
        rabbit.publishEvent("order.created", orderId, "{}");
        rabbit.publishEvent("order.confirmed", orderId, "{}");
        rabbit.publishEvent("order.cancelled", orderId, "{\"orderId\":\"" + orderId + "\"}");
        awaitRefund(orderId);
        assertThat(rabbit.drain(DLQ)).isEmpty();
    }
}
