package org.acme.resilience.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link ReliableConsumer} on its own, in the library, on the real RabbitMQ and PostgreSQL, through the connector the
 * way a service consumes ({@link LibraryConsumer}): an event has its effect once however often it is delivered; a
 * transient failure goes round the queue's ladder of delay queues until it succeeds, or is dead-lettered with the
 * reason after the configured attempts; data the handler can never handle and bodies that are no envelope are
 * dead-lettered at once without holding up what follows; an unknown type is acknowledged and counted.
 */
@QuarkusTest
@TestProfile(ReliableConsumerTest.WithConsumer.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "resilience_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.library,"
                + "payment-service.order-events.library.dlq,order-service.payment-events.library,"
                + "order-service.payment-events.library.dlq") })
class ReliableConsumerTest {

    static final String SUFFIX = ".library";
    static final String QUEUE = LibraryConsumer.QUEUE;
    static final String DLQ = DeadLetters.dlq(QUEUE);
    static final Duration PATIENCE = Duration.ofSeconds(15);

    /** The library with one consumer of its own, on its own queue, giving up after 3 attempts a few 100 ms apart. */
    public static class WithConsumer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String channel = "mp.messaging.incoming." + LibraryConsumer.CHANNEL + ".";
            String retry = "events.consumer.\"" + QUEUE + "\".retry.";
            return Map.ofEntries(Map.entry("quarkus.application.name", "common-resilience"),
                    Map.entry("service.database", "resilience"),
                    Map.entry("test.library-consumer", "true"),
                    Map.entry("events.topology.queue-suffix", SUFFIX),
                    Map.entry(channel + "connector", "smallrye-rabbitmq"),
                    Map.entry(channel + "queue.name", QUEUE),
                    Map.entry(channel + "queue.declare", "false"),
                    Map.entry(channel + "exchange.declare", "false"),
                    Map.entry(channel + "auto-bind-dlq", "false"),
                    Map.entry(channel + "dlx.declare", "false"),
                    Map.entry(channel + "content-type-override", "application/octet-stream"),
                    Map.entry(channel + "failure-strategy", "reject"),
                    Map.entry(retry + "initial-delay", "100ms"),
                    Map.entry(retry + "max-delay", "200ms"),
                    Map.entry(retry + "max-attempts", "3"));
        }
    }

    static EventTap rabbit;
    /** Everything taken from the dead-letter queue so far (taking acknowledges, so it is kept here). */
    static final List<GetResponse> deadLetters = new CopyOnWriteArrayList<>();

    @Inject
    LibraryConsumer consumer;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void connect() {
        rabbit = EventTap.bind("nothing.to.hear");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void anEventDeliveredTwiceHasItsEffectOnce() throws Exception {
        String subject = "twice:" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        rabbit.publishEvent(id, LibraryConsumer.HANDLED, subject, "{}");
        rabbit.publishEvent(id, LibraryConsumer.HANDLED, subject, "{}");

        Awaitility.await().atMost(PATIENCE).until(() -> consumer.settled(subject) == 2);
        assertThat(consumer.effects(subject)).isEqualTo(1);
        assertThat(consumer.attempts(subject)).isEqualTo(1);
        assertThat(processedRows(id)).isEqualTo(1);
        assertThat(deadLettered(subject)).isEmpty();
    }

    @Test
    void aTransientFailureGoesRoundTheLadderUntilItSucceeds() throws Exception {
        String subject = "fail-2:" + UUID.randomUUID();
        String id = rabbit.publishEvent(LibraryConsumer.HANDLED, subject, "{}");

        Awaitility.await().atMost(PATIENCE).until(() -> consumer.effects(subject) == 1);
        assertThat(consumer.attempts(subject)).isEqualTo(3);
        assertThat(processedRows(id)).isEqualTo(1);
        assertThat(deadLettered(subject)).isEmpty();
    }

    @Test
    void anEventThatKeepsFailingIsDeadLetteredWithTheReasonAfterTheConfiguredAttempts() throws Exception {
        String subject = "always-fail:" + UUID.randomUUID();
        String id = rabbit.publishEvent(LibraryConsumer.HANDLED, subject, "{}");

        GetResponse dead = awaitDeadLetter(subject);
        assertThat(reason(dead)).startsWith("gave up after 3 attempts").contains("attempt 3 of " + subject);
        assertThat(dead.getProps().getHeaders().get(DeadLetters.ORIGINAL_ROUTING_KEY_HEADER))
                .hasToString(LibraryConsumer.HANDLED);
        assertThat(consumer.attempts(subject)).isEqualTo(3);
        assertThat(consumer.effects(subject)).isZero();
        assertThat(processedRows(id)).as("a failed attempt leaves no trace of having been handled").isZero();
    }

    @Test
    void dataTheHandlerCanNeverHandleIsDeadLetteredAtOnce() throws Exception {
        String subject = "malformed:" + UUID.randomUUID();
        rabbit.publishEvent(LibraryConsumer.HANDLED, subject, "{}");

        GetResponse dead = awaitDeadLetter(subject);
        assertThat(reason(dead)).startsWith("malformed: the handler can never handle " + subject);
        assertThat(consumer.attempts(subject)).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNoEnvelopeIsDeadLetteredAndTheEventBehindItIsHandled() throws Exception {
        String garbage = "not an envelope " + UUID.randomUUID();
        String subject = "behind-garbage:" + UUID.randomUUID();
        rabbit.publishBytes(LibraryConsumer.HANDLED, garbage.getBytes(StandardCharsets.UTF_8));
        rabbit.publishEvent(LibraryConsumer.HANDLED, subject, "{}");

        GetResponse dead = awaitDeadLetter(garbage);
        assertThat(reason(dead)).startsWith("malformed");
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo(garbage);
        Awaitility.await().atMost(PATIENCE).until(() -> consumer.effects(subject) == 1);
    }

    @Test
    void anUnknownTypeIsAcknowledgedAndCountedAndAnIgnoredOneOnlyAcknowledged() throws Exception {
        double unknownBefore = unknownTypes();
        String unknown = "unknown:" + UUID.randomUUID();
        String ignored = "ignored:" + UUID.randomUUID();
        rabbit.publishEvent("order.library-invented-later", unknown, "{}");
        rabbit.publishEvent(LibraryConsumer.IGNORED, ignored, "{}");

        Awaitility.await().atMost(PATIENCE)
                .until(() -> consumer.settled(unknown) == 1 && consumer.settled(ignored) == 1);
        assertThat(unknownTypes()).isEqualTo(unknownBefore + 1);
        assertThat(consumer.attempts(unknown) + consumer.attempts(ignored)).isZero();
        assertThat(deadLettered(unknown)).isEmpty();
        assertThat(deadLettered(ignored)).isEmpty();
    }

    private double unknownTypes() {
        Counter counter = metrics.find("events.unknown_type").tag("queue", QUEUE).counter();
        return counter == null ? 0 : counter.count();
    }

    private static GetResponse awaitDeadLetter(String text) {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> deadLettered(text).stream().findFirst().orElse(null), message -> message != null);
    }

    private static List<GetResponse> deadLettered(String text) throws Exception {
        deadLetters.addAll(rabbit.drain(DLQ));
        return deadLetters.stream().filter(m -> new String(m.getBody(), StandardCharsets.UTF_8).contains(text))
                .toList();
    }

    private static String reason(GetResponse message) {
        return String.valueOf(message.getProps().getHeaders().get(DeadLetters.REASON_HEADER));
    }

    private static int processedRows(String eventId) throws Exception {
        try (Connection c = LocalBackends.connect("resilience_test");
                var query = c.prepareStatement(
                        "select count(*) from processed_event where consumer = ? and event_id = ?::uuid")) {
            query.setString(1, QUEUE);
            query.setString(2, eventId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
