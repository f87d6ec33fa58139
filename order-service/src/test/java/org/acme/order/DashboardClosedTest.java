package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.acme.resilience.testing.LocalBackends;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Without an admin or a viewer token configured (the default), the dashboard's data and controls do not exist (404),
 * like every other operator endpoint; the page itself is only a static file and still says why it shows nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DashboardClosedTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void everyDashboardEndpointIsAbsentWithoutAToken() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("token", "anything")).post("/dashboard/session")
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/dashboard/session").then().statusCode(404);
        given().get("/dashboard/circuits").then().statusCode(404);
        try (SseStream stream = SseStream.withCookie(port, null)) { // bounded, even if it were to open
            assertThat(stream.status()).isEqualTo(404);
        }
        given().contentType(ContentType.JSON).header("X-Admin-Token", "anything").body(Map.of("down", true))
                .put("/dashboard/faults").then().statusCode(404);
        given().get("/dashboard/").then().statusCode(200).body(containsString("id=\"events\""));
    }
}
