package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.testing.LocalBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * order-service's own database unreachable (a TCP proxy in front of PostgreSQL, cut): a request is answered 503
 * problem+json with Retry-After — "not now", which callers retry — never a 500. The chaos harness found the 500.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "orders_test"),
        @ResourceArg(name = "postgres-proxy", value = "true") })
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class DatabaseOutageTest {

    @Inject
    DownstreamGuards circuits;

    @BeforeEach
    void cutTheDatabase() throws Exception {
        Stubs.healthyDownstreams(circuits);
        LocalBackends.postgresProxy().cut();
    }

    @AfterEach
    void databaseBack() throws Exception {
        LocalBackends.postgresProxy().restore();
    }

    @Test
    void anOrderWhileTheDatabaseIsAwayIsA503WithRetryAfter() {
        given().contentType(ContentType.JSON)
                .body("{\"userId\":1,\"currency\":\"EUR\",\"items\":[{\"sku\":\"DB-1\",\"quantity\":1,\"unitPrice\":5}]}")
                .post("/orders")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("status", equalTo(503))
                .body(not(containsString("at org.")));
    }

    @Test
    void aReadWhileTheDatabaseIsAwayIsA503WithRetryAfter() {
        given().get("/orders/" + UUID.randomUUID())
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body(not(containsString("at org.")));
    }
}
