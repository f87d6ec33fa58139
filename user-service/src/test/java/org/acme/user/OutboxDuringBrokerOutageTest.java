package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.acme.resilience.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The transactional outbox keeps its promise when RabbitMQ is away: the state change commits, the event waits in the
 * outbox, and it is published once the broker is reachable again.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "users_test"),
        @ResourceArg(name = "rabbitmq-proxy", value = "true") })
class OutboxDuringBrokerOutageTest {

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
            Thread.sleep(2_000); // several relay runs while the broker is away
            assertThat(pendingOutboxRows(id)).isEqualTo(1);
            assertThat(events.forSubject(id)).isEmpty();

            broker.restore();

            EventTap.Received event = events.await(r -> id.equals(r.subject()), Duration.ofSeconds(60));
            assertThat(event.routingKey()).isEqualTo("user.registered");
            assertThat(event.body().path("data").path("email").asText()).isEqualTo(email);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> pendingOutboxRows(id) == 0);
        }
    }

    private static int pendingOutboxRows(String aggregateId) throws Exception {
        try (Connection c = LocalBackends.connect("users_test");
                var query = c.prepareStatement(
                        "select count(*) from outbox where aggregate_id = ? and published_at is null")) {
            query.setString(1, aggregateId);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
