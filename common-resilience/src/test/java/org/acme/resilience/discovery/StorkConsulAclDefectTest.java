package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.acme.resilience.testing.ConsulDouble;
import org.acme.resilience.testing.ConsulHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.integration.DefaultStorkInfrastructure;
import io.smallrye.stork.servicediscovery.consul.ConsulConfiguration;
import io.smallrye.stork.servicediscovery.consul.ConsulServiceDiscoveryProvider;

/**
 * Stork 2.7.9's own consul discovery, given an ACL token and {@code ssl=false}, sends no token, so against Consul with
 * ACLs on it finds nothing (docs/upstream/stork-consul-acl-token.md). We use ConsulDiscoveryProvider instead. When
 * this test fails after a Stork upgrade, upstream has fixed it: drop ConsulDiscoveryProvider and this test.
 */
class StorkConsulAclDefectTest {

    private final ConsulDouble consul = new ConsulDouble().start();

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void stockStorkConsulDiscoverySendsNoAclTokenWithoutSsl() {
        new ConsulHttp(consul).register("payment-service-1", "payment-service", "127.0.0.1", 8083,
                "http://127.0.0.1:1/"); // its check fails; the lookup asks for all instances
        ServiceDiscovery stock = new ConsulServiceDiscoveryProvider().createServiceDiscovery(new ConsulConfiguration()
                .withConsulHost("127.0.0.1").withConsulPort(String.valueOf(consul.port()))
                .withAclToken(consul.aclToken()).withUseHealthChecks("false").withRefreshPeriod("1s"),
                "payment-service", null, new DefaultStorkInfrastructure());

        assertThat(stock.getServiceInstances().await().atMost(Duration.ofSeconds(5)))
                .as("Consul filtered everything: no token reached it").isEmpty();
        assertThat(consul.requests()).filteredOn(r -> r.path().equals("/v1/health/service/payment-service"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.token()).as("token sent by Stork's consul discovery")
                        .isNull());
    }
}
