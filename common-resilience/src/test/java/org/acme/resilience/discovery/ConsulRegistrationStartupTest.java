package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.acme.resilience.testing.ConsulDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** Startup fails, naming the setting, rather than register an unusable address or run with a refused token. */
class ConsulRegistrationStartupTest {

    private final Vertx vertx = Vertx.vertx();
    private final ConsulDouble consul = new ConsulDouble().start();

    @AfterEach
    void stop() {
        consul.close();
        vertx.close();
    }

    @Test
    void aRefusedTokenFailsStartup() {
        var registration = new ConsulRegistration(
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", "not-a-token"), "user-service", vertx);
        assertThatThrownBy(() -> registration.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DISCOVERY_CONSUL_ACL_TOKEN");
    }

    @Test
    void aMissingTokenFailsStartup() {
        var registration = new ConsulRegistration(
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", null), "user-service", vertx);
        assertThatThrownBy(() -> registration.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no token is set");
    }

    @Test
    void aWildcardAddressFailsStartup() {
        var registration = new ConsulRegistration(
                DiscoverySettings.consul(consul, "discovery.consul.service-address", "0.0.0.0"), "user-service", vertx);
        assertThatThrownBy(() -> registration.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("discovery.consul.service-address");
    }
}
