package org.acme.payment;

import static org.assertj.core.api.Assertions.assertThat;

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

/** payment-service registers itself in a Consul with ACLs on (default deny) with its token, and its check passes. */
@QuarkusTest
@QuarkusTestResource(value = LocalBackends.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "database", value = "payments_test"),
        @ResourceArg(name = "test-queues", value = "payment-service.order-events.test") })
@QuarkusTestResource(value = ConsulDoubleResource.class, restrictToAnnotatedClass = true)
class ConsulRegistrationTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void registersWithItsAclTokenAndPassesItsCheck() {
        ConsulHttp consul = ConsulDoubleResource.api();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> consul.passing("payment-service").stream()
                .anyMatch(entry -> entry.path("Service").path("Port").asInt() == port));
        assertThat(consul.services().path("payment-service-127.0.0.1-" + port).path("Address").asText())
                .isEqualTo("127.0.0.1");
    }
}
