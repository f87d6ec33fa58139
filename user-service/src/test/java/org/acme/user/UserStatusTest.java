package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** An operator blocks and unblocks a user; each change is versioned and announced as {@code user.status-changed}. */
@QuarkusTest
@TestProfile(UserStatusTest.WithAdminToken.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class UserStatusTest {

    static final String TOKEN = "operator-secret";

    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resilience.admin.token", TOKEN);
        }
    }

    static EventTap events;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("user.#");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    private static String register() {
        String location = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Stella Status\",\"email\":\"status-" + UUID.randomUUID() + "@example.org\"}")
                .post("/users").then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static io.restassured.response.ValidatableResponse put(String id, String token, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        return request.put("/users/" + id + "/status").then();
    }

    @Test
    void aServiceThatConsumesNoEventsOffersNoDeadLetterEndpoint() {
        // user-service has no consumer queue: the library's operator view of dead letters is not installed here.
        given().header("X-Admin-Token", TOKEN).get("/admin/dead-letters").then().statusCode(404);
        given().header("X-Admin-Token", TOKEN).post("/admin/dead-letters/user-service.anything/replay").then()
                .statusCode(404);
    }

    @Test
    void blockingIsVersionedAndAnnouncedWithoutPersonalData() {
        String id = register();
        given().get("/users/" + id).then().statusCode(200).body("statusVersion", equalTo(0));

        put(id, TOKEN, "{\"status\":\"BLOCKED\"}").statusCode(200)
                .body("status", equalTo("BLOCKED")).body("statusVersion", equalTo(1));

        EventTap.Received event = events.await(r -> id.equals(r.subject()) && "user.status-changed".equals(r.type()),
                Duration.ofSeconds(10));
        assertThat(event.routingKey()).isEqualTo("user.status-changed");
        assertThat(event.body().path("data").path("userId").asText()).isEqualTo(id);
        assertThat(event.body().path("data").path("status").asText()).isEqualTo("BLOCKED");
        assertThat(event.body().path("data").path("statusVersion").asLong()).isEqualTo(1);
        assertThat(event.body().path("data").has("email")).isFalse();
        assertThat(event.body().path("data").has("name")).isFalse();

        put(id, TOKEN, "{\"status\":\"ACTIVE\"}").statusCode(200).body("statusVersion", equalTo(2));
        given().get("/users/" + id).then().body("status", equalTo("ACTIVE")).body("statusVersion", equalTo(2));
    }

    @Test
    void theSameStatusAgainChangesNothingAndAnnouncesNothing() {
        String id = register();
        put(id, TOKEN, "{\"status\":\"ACTIVE\"}").statusCode(200).body("statusVersion", equalTo(0));
        put(id, TOKEN, "{\"status\":\"BLOCKED\"}").statusCode(200).body("statusVersion", equalTo(1));
        events.await(r -> id.equals(r.subject()) && "user.status-changed".equals(r.type()), Duration.ofSeconds(10));
        assertThat(events.forSubject(id).stream().filter(r -> "user.status-changed".equals(r.type())))
                .as("only the real change is announced").hasSize(1);
    }

    @Test
    void onlyAnOperatorChangesAStatus() {
        String id = register();
        put(id, null, "{\"status\":\"BLOCKED\"}").statusCode(401).contentType("application/problem+json");
        put(id, "wrong", "{\"status\":\"BLOCKED\"}").statusCode(401).contentType("application/problem+json");
        given().get("/users/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void badInputIsA4xxProblem() {
        String id = register();
        put(id, TOKEN, "{\"status\":\"ASLEEP\"}").statusCode(400).contentType("application/problem+json");
        put(id, TOKEN, "{}").statusCode(400).contentType("application/problem+json");
        put("987654", TOKEN, "{\"status\":\"BLOCKED\"}").statusCode(404).contentType("application/problem+json");
    }
}
