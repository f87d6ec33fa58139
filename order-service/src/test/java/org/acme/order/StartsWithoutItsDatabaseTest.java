package org.acme.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.UUID;

import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * order-service started while its database was unreachable (the chaos harness: a graceful restart during a cut of the
 * database link). It used to exit at once, so nothing brought it back; now it runs, is not ready, and migrates and
 * serves as soon as the database is back.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "orders_test"),
        @ResourceArg(name = "postgres-proxy", value = "true"),
        @ResourceArg(name = "postgres-down-at-start", value = "true") })
@QuarkusTestResource(value = DownstreamsMock.class, restrictToAnnotatedClass = true)
class StartsWithoutItsDatabaseTest {

    private static final String SCHEMA_CHECK = "checks.find { it.name == 'database schema' }";

    @AfterAll
    static void databaseBack() throws Exception {
        LocalBackends.postgresProxy().restore();
    }

    @Test
    void startsNotReadyAndServesOnceItsDatabaseIsBack() throws Exception {
        given().get("/q/health/ready").then().statusCode(503)
                .body(SCHEMA_CHECK + ".status", equalTo("DOWN"));
        given().get("/orders/" + UUID.randomUUID()).then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue());

        LocalBackends.postgresProxy().restore();

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/q/health/ready").then().body(SCHEMA_CHECK + ".status", equalTo("UP")));
        given().get("/orders/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
