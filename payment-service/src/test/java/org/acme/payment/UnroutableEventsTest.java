package org.acme.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.acme.resilience.outbox.Outbox;
import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 24 item 2: an event no queue is bound for is neither confirmed-and-dropped nor stuck: the relay publishes it,
 * the broker hands it to the alternate exchange, and it waits in the durable queue {@code domain_events.unrouted}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test") })
class UnroutableEventsTest {

    static final String UNROUTED = "domain_events.unrouted";
    static EventTap rabbit;

    @Inject
    Outbox outbox;

    @BeforeAll
    static void connect() {
        rabbit = EventTap.bind("payment.refunded");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void anEventWithARoutingKeyNoQueueBindsLandsInTheUnroutedQueue() throws Exception {
        String subject = UUID.randomUUID().toString();
        String type = "nobody.listens-" + subject.substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> outbox.append(type, subject, Map.of("hello", "world")));

        List<GetResponse> unrouted = new CopyOnWriteArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            rabbit.drain(UNROUTED).stream().filter(m -> new String(m.getBody()).contains(subject))
                    .forEach(unrouted::add);
            return !unrouted.isEmpty();
        });
        assertThat(unrouted).hasSize(1);
        assertThat(unrouted.get(0).getEnvelope().getRoutingKey()).isEqualTo(type);
        assertThat(published(subject)).isTrue();
    }

    private static boolean published(String subject) throws Exception {
        try (Connection c = LocalBackends.connect("payments_test");
                var query = c.prepareStatement(
                        "select published_at is not null from outbox where payload::text like ?")) {
            query.setString(1, "%" + subject + "%");
            ResultSet rs = query.executeQuery();
            return rs.next() && rs.getBoolean(1);
        }
    }
}
