package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With an admin token configured, the operator can reset a circuit, and only with that token. */
@QuarkusTest
@TestProfile(CircuitResetTest.WithAdminToken.class)
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "orders_test"))
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class CircuitResetTest {

    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resilience.admin.token", "s3cret-token");
        }
    }

    @Test
    void aResetNeedsTheToken() {
        given().post("/resilience/circuits/payment-service/reset").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("X-Admin-Token", "wrong").post("/resilience/circuits/payment-service/reset")
                .then().statusCode(401);
        given().header("X-Admin-Token", "s3cret-token").post("/resilience/circuits/payment-service/reset")
                .then().statusCode(200).body("name", equalTo("payment-service")).body("state", equalTo("CLOSED"));
        given().header("X-Admin-Token", "s3cret-token").post("/resilience/circuits/nobody/reset")
                .then().statusCode(404);
    }
}
