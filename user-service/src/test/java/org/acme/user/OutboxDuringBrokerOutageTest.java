package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The transactional outbox keeps its promise when RabbitMQ is away: the state change commits, the event waits in the
 * outbox, and it is published once the broker is reachable again.
 */
@QuarkusTest
@TestProfile(OutboxDuringBrokerOutageTest.ShortLease.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "users_test"),
        @ResourceArg(name = "rabbitmq-proxy", value = "true") })
class OutboxDuringBrokerOutageTest {

    /** A publish that failed is claimed again after 2 s rather than a minute, however long the outage was. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("outbox.relay.confirm-timeout", "1s", "outbox.relay.claim", "2s");
        }
    }

    @AfterEach
    void reconnect() throws Exception {
        LocalBackends.rabbitProxy().restore();
    }

    @Test
    void aChangeCommitsWhileTheBrokerIsUnreachableAndItsEventIsPublishedWhenItComesBack() throws Exception {
        TcpProxy broker = LocalBackends.rabbitProxy();
        try (EventTap events = EventTap.bind("user.registered")) {
            broker.cut();

            String email = "outage-" + UUID.randomUUID() + "@example.org";
            String id = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"Olga Outage\",\"email\":\"" + email + "\"}")
                    .post("/users")
                    .then().statusCode(201)
                    .extract().path("id").toString();

            given().get("/users/" + id).then().statusCode(200);
            // The relay claims the row and fails to publish it; meanwhile it stays pending and nothing arrives.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> relayAttempts(id) > 0);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> pendingOutboxRows(id) == 1 && events.forSubject(id).isEmpty());

            broker.restore();

            EventTap.Received event = events.await(r -> id.equals(r.subject()), Duration.ofSeconds(60));
            assertThat(event.routingKey()).isEqualTo("user.registered");
            assertThat(event.body().path("data").path("email").asText()).isEqualTo(email);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> pendingOutboxRows(id) == 0);
        }
    }

    private static int pendingOutboxRows(String aggregateId) throws Exception {
        return count("select count(*) from outbox where aggregate_id = ? and published_at is null", aggregateId);
    }

    private static int relayAttempts(String aggregateId) throws Exception {
        return count("select coalesce(sum(attempts), 0) from outbox where aggregate_id = ?", aggregateId);
    }

    private static int count(String sql, String aggregateId) throws Exception {
        try (Connection c = LocalBackends.connect("users_test"); var query = c.prepareStatement(sql)) {
            query.setString(1, aggregateId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
