package org.acme.resilience.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.acme.resilience.testing.ConsulDouble;
import org.acme.resilience.testing.ConsulHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.integration.DefaultStorkInfrastructure;

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
    void stockStorkConsulDiscoverySendsNoAclTokenWithoutSsl() throws Exception {
        new ConsulHttp(consul).register("payment-service-1", "payment-service", "127.0.0.1", 8083,
                "http://127.0.0.1:1/"); // its check fails; the lookup asks for all instances
        ServiceDiscovery stock = stockConsulDiscovery("payment-service", Map.of("consul-host", "127.0.0.1",
                "consul-port", String.valueOf(consul.port()), "acl-token", consul.aclToken(),
                "use-health-checks", "false", "refresh-period", "1s"));

        assertThat(stock.getServiceInstances().await().atMost(Duration.ofSeconds(5)))
                .as("Consul filtered everything: no token reached it").isEmpty();
        assertThat(consul.requests()).filteredOn(r -> r.path().equals("/v1/health/service/payment-service"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.token()).as("token sent by Stork's consul discovery")
                        .isNull());
    }

    /**
     * Stork's own provider, from its jar in a class loader of its own (see the pom: on the test class path it would
     * register a second {@code consul} type beside ours), configured as Stork configures it: from attributes.
     */
    private static ServiceDiscovery stockConsulDiscovery(String service, Map<String, String> attributes)
            throws Exception {
        URL jar = Path.of(System.getProperty("stork.consul.jar", "target/upstream/stork-service-discovery-consul.jar"))
                .toUri().toURL();
        ClassLoader isolated = new URLClassLoader(new URL[] { jar }, StorkConsulAclDefectTest.class.getClassLoader());
        Class<?> configuration = isolated.loadClass("io.smallrye.stork.servicediscovery.consul.ConsulConfiguration");
        Object config = configuration.getConstructor(Map.class).newInstance(attributes);
        Object provider = isolated.loadClass("io.smallrye.stork.servicediscovery.consul.ConsulServiceDiscoveryProvider")
                .getConstructor().newInstance();
        return (ServiceDiscovery) provider.getClass().getMethod("createServiceDiscovery", configuration,
                String.class, io.smallrye.stork.api.config.ServiceConfig.class,
                io.smallrye.stork.spi.StorkInfrastructure.class)
                .invoke(provider, config, service, null, new DefaultStorkInfrastructure());
    }
}
