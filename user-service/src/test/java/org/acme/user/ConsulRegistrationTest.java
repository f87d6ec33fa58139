package org.acme.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.acme.resilience.discovery.ConsulRegistration;
import org.acme.resilience.testing.ConsulDoubleResource;
import org.acme.resilience.testing.ConsulHttp;
import org.acme.resilience.testing.LocalBackends;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** user-service registers itself in Consul with a readiness check, re-registers when Consul forgets it, and leaves. */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "users_test"))
@QuarkusTestResource(value = ConsulDoubleResource.class, restrictToAnnotatedClass = true)
class ConsulRegistrationTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    ConsulRegistration registration;

    private JsonNode registered(ConsulHttp consul) {
        return consul.services().get("user-service-127.0.0.1-" + port);
    }

    @Test
    void registersItsNameAddressPortAndAReadinessCheckThatPasses() {
        ConsulHttp consul = ConsulDoubleResource.api();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered(consul) != null);

        JsonNode service = registered(consul);
        assertThat(service.path("Service").asText()).isEqualTo("user-service");
        assertThat(service.path("Address").asText()).isEqualTo("127.0.0.1");
        assertThat(service.path("Port").asInt()).isEqualTo(port);
        assertThat(service.path("Tags").toString()).contains("quarkus");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !consul.passing("user-service").isEmpty());
        JsonNode check = consul.passing("user-service").get(0).path("Checks").get(0);
        assertThat(check.path("Status").asText()).isEqualTo("passing");
        assertThat(registration.registration().getCheckOptions().getHttp())
                .isEqualTo("http://127.0.0.1:" + port + "/q/health/ready");
        assertThat(registration.registration().getCheckOptions().getInterval()).isEqualTo("1s");
        assertThat(registration.registration().getCheckOptions().getDeregisterAfter()).isEqualTo("60s");

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'discovery' }.data.registered", equalTo(true));
    }

    @Test
    void registersAgainWhenConsulForgetsIt() {
        ConsulHttp consul = ConsulDoubleResource.api();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered(consul) != null);

        ConsulDoubleResource.consul().forget();
        assertThat(registered(consul)).isNull();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered(consul) != null);
    }

    @Test
    void aGracefulShutdownDeregisters() {
        ConsulHttp consul = ConsulDoubleResource.api();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered(consul) != null);

        registration.deregister(); // what the ShutdownEvent observer does
        try {
            assertThat(registered(consul)).isNull();
            assertThat(registration.registered()).isFalse();
        } finally {
            registration.resume();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registered(consul) != null);
    }
}
