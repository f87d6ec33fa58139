package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.acme.resilience.testing.ConsulDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** A token Consul refuses, or none with ACLs on, fails startup with the setting to fix; a Consul that is down does not. */
class ConsulTokenCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final Vertx vertx = Vertx.vertx();
    private final ConsulDouble consul = new ConsulDouble().start();

    @AfterEach
    void stop() {
        consul.close();
        vertx.close();
    }

    @Test
    void aTokenConsulKnowsPasses() {
        assertThatCode(() -> ConsulTokenCheck.verify(vertx, DiscoverySettings.consul(consul), TIMEOUT))
                .doesNotThrowAnyException();
    }

    @Test
    void anUnknownTokenFailsNamingTheSetting() {
        assertThatThrownBy(() -> ConsulTokenCheck.verify(vertx,
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", "not-a-token"), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refuses the ACL token set in discovery.consul.acl-token (DISCOVERY_CONSUL_ACL_TOKEN)")
                .hasMessageContaining("ACL not found");
    }

    @Test
    void noTokenWithAclsOnFailsNamingTheSetting() {
        assertThatThrownBy(() -> ConsulTokenCheck.verify(vertx,
                DiscoverySettings.consul(consul, "discovery.consul.acl-token", null), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has ACLs on and no token is set")
                .hasMessageContaining("discovery.consul.acl-token");
    }

    @Test
    void aConsulThatIsDownIsNoReasonToFail() {
        consul.stop();
        assertThatCode(() -> ConsulTokenCheck.verify(vertx, DiscoverySettings.consul(consul), TIMEOUT))
                .doesNotThrowAnyException();
    }
}
