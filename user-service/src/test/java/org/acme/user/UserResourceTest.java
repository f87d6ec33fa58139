package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.UUID;

import org.acme.resilience.testing.EventTap;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
class UserResourceTest {

    static EventTap events;

    @BeforeAll
    static void tap() {
        events = EventTap.bind("user.#");
    }

    @AfterAll
    static void untap() throws Exception {
        events.close();
    }

    @Test
    void seededUsersIncludeAnActiveAndABlockedOne() {
        given().get("/users/1").then().statusCode(200)
                .body("id", equalTo(1)).body("status", equalTo("ACTIVE")).body("email", equalTo("alice@example.org"));
        given().get("/users/3").then().statusCode(200).body("status", equalTo("BLOCKED"));
        given().get("/users").then().statusCode(200).body("id", hasItem(2));
    }

    @Test
    void aClientThatAcceptsNoJsonGetsA406ProblemAndRegistersNoOne() {
        String email = "xml-" + UUID.randomUUID() + "@example.org";
        given().contentType(ContentType.JSON).accept(ContentType.XML)
                .body("{\"name\":\"Xavier Xml\",\"email\":\"" + email + "\"}")
                .post("/users")
                .then().statusCode(406).contentType("application/problem+json").body("status", equalTo(406));
        given().get("/users").then().statusCode(200).body("email", not(hasItem(email)));
    }

    @Test
    void registeringAUserAnswers201WithLocationAndPublishesUserRegistered() {
        String email = "new-" + UUID.randomUUID() + "@example.org";
        String location = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Nina New\",\"email\":\"" + email + "\"}")
                .post("/users")
                .then().statusCode(201)
                .header("Location", containsString("/users/"))
                .body("status", equalTo("ACTIVE"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        given().get("/users/" + id).then().statusCode(200).body("email", equalTo(email));

        EventTap.Received event = events.await(r -> id.equals(r.subject()), Duration.ofSeconds(10));
        assertThat(event.routingKey()).isEqualTo("user.registered");
        assertThat(event.type()).isEqualTo("user.registered");
        assertThat(event.body().path("source").asText()).isEqualTo("user-service");
        assertThat(event.body().path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.body().path("data").path("email").asText()).isEqualTo(email);
        assertThat(event.properties().getDeliveryMode()).isEqualTo(2);
        assertThat(event.properties().getMessageId()).isEqualTo(event.body().path("id").asText());
    }

    @Test
    void aSecondUserWithTheSameEmailIsAConflict() {
        given().contentType(ContentType.JSON).body("{\"name\":\"Alice Again\",\"email\":\"ALICE@example.org\"}")
                .post("/users")
                .then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("title", equalTo("Conflict"));
    }

    @Test
    void invalidFieldsAreNamedInAProblem() {
        given().contentType(ContentType.JSON).body("{\"name\":\"\",\"email\":\"not-an-email\"}")
                .post("/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("email"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().contentType(ContentType.JSON).body("{\"name\": ")
                .post("/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-request"))
                .body(not(containsString("Exception")));
    }

    @Test
    void aMissingBodyIsA400Problem() {
        given().contentType(ContentType.JSON).post("/users")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anUnknownUserIsA404Problem() {
        given().get("/users/987654").then().statusCode(404).contentType("application/problem+json")
                .body("detail", endsWith("987654"));
        given().get("/users/not-a-number").then().statusCode(404).contentType("application/problem+json");
    }
}
