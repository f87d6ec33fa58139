package org.acme.resilience.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The outbox and its relay on their own, in the library, on the real PostgreSQL and RabbitMQ: an event appended in a
 * committed transaction is published with publisher confirms and marked published; one whose transaction rolled back
 * never leaves; while the broker is unreachable (a TCP proxy cut) the event waits in the outbox, claimed again after
 * each lease, and goes out once the broker is back, at least once and always under its event id.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.Library.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "resilience_test"),
        @ResourceArg(name = "rabbitmq-proxy", value = "true") })
class OutboxRelayTest {

    static final String DATABASE = "resilience_test";
    static final String TYPE = "library.tested";

    /** The library alone, no service around it; a failed publish is claimed again after 2 s instead of a minute. */
    public static class Library implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.application.name", "common-resilience", "service.database", "resilience",
                    "outbox.relay.confirm-timeout", "1s", "outbox.relay.claim", "2s");
        }
    }

    @Inject
    Outbox outbox;

    @AfterEach
    void brokerBack() throws Exception {
        LocalBackends.rabbitProxy().restore();
    }

    @Test
    void aCommittedEventIsPublishedInItsEnvelopeAndMarkedPublished() throws Exception {
        try (EventTap events = EventTap.bind(TYPE)) {
            String subject = UUID.randomUUID().toString();
            UUID id = QuarkusTransaction.requiringNew().call(() -> outbox.append(TYPE, subject, Map.of("n", 1)).id());

            EventTap.Received event = events.await(r -> subject.equals(r.subject()), Duration.ofSeconds(10));
            assertThat(event.routingKey()).isEqualTo(TYPE);
            assertThat(event.properties().getMessageId()).isEqualTo(id.toString());
            assertThat(event.body().path("source").asText()).isEqualTo("common-resilience");
            assertThat(event.body().path("data").path("n").asInt()).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pending(subject) == 0);
        }
    }

    @Test
    void anEventWhoseTransactionRolledBackIsNeverPublished() throws Exception {
        try (EventTap events = EventTap.bind(TYPE)) {
            String rolledBack = UUID.randomUUID().toString();
            String committed = UUID.randomUUID().toString();
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    outbox.append(TYPE, rolledBack, Map.of());
                    throw new IllegalStateException("the state change failed");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back, and the event with it
            }
            QuarkusTransaction.requiringNew().run(() -> outbox.append(TYPE, committed, Map.of()));

            // Published in order: once the later event is out, the rolled-back one would have been before it.
            events.await(r -> committed.equals(r.subject()), Duration.ofSeconds(10));
            assertThat(events.forSubject(rolledBack)).isEmpty();
            assertThat(rows(rolledBack)).isZero();
        }
    }

    @Test
    void whileTheBrokerIsUnreachableAnEventWaitsAndIsPublishedWhenItIsBack() throws Exception {
        TcpProxy broker = LocalBackends.rabbitProxy();
        try (EventTap events = EventTap.bind(TYPE)) {
            broker.cut();
            String subject = UUID.randomUUID().toString();
            UUID id = QuarkusTransaction.requiringNew().call(() -> outbox.append(TYPE, subject, Map.of()).id());

            // claimed again after each lease: tried several times, still pending, nothing out
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> attempts(subject) >= 2);
            assertThat(pending(subject)).isEqualTo(1);
            assertThat(events.forSubject(subject)).isEmpty();

            broker.restore();

            events.await(r -> subject.equals(r.subject()), Duration.ofSeconds(15));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pending(subject) == 0);
            // At least once: attempts the connector had buffered may arrive too, all as the same event for consumers.
            assertThat(events.forSubject(subject)).extracting(r -> r.properties().getMessageId())
                    .containsOnly(id.toString());
        }
    }

    private static int pending(String subject) throws Exception {
        return count("select count(*) from outbox where aggregate_id = ? and published_at is null", subject);
    }

    private static int rows(String subject) throws Exception {
        return count("select count(*) from outbox where aggregate_id = ?", subject);
    }

    private static int attempts(String subject) throws Exception {
        return count("select coalesce(sum(attempts), 0) from outbox where aggregate_id = ?", subject);
    }

    private static int count(String sql, String subject) throws Exception {
        try (Connection c = LocalBackends.connect(DATABASE); var query = c.prepareStatement(sql)) {
            query.setString(1, subject);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
