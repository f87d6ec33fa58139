package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.acme.resilience.testing.ConsulDoubleResource;
import org.acme.resilience.testing.ConsulHttp;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** With Consul down, user-service starts and serves anyway, and registers as soon as Consul answers. */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
@QuarkusTestResource(value = ConsulDoubleResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "started", value = "false"))
class ConsulDownAtStartupTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void startsAndServesWithoutConsulThenRegistersWhenItComesUp() {
        given().get("/users/1").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'discovery' }.data.registered", equalTo(false));

        ConsulDoubleResource.consul().start();

        ConsulHttp consul = ConsulDoubleResource.api();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> consul.services().has("user-service-127.0.0.1-" + port));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'discovery' }.data.registered", equalTo(true)));
    }
}
