package org.acme.resilience.discovery;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.config.ServiceConfig;
import io.smallrye.stork.api.config.ServiceDiscoveryType;
import io.smallrye.stork.spi.ServiceDiscoveryProvider;
import io.smallrye.stork.spi.StorkInfrastructure;
import io.vertx.core.Vertx;

/**
 * Stork's {@code consul} service discovery, ours instead of {@code stork-service-discovery-consul} 2.7.9, which sends
 * the ACL token only when {@code ssl=true} (docs/upstream/stork-consul-acl-token.md). Its settings are this service's
 * {@link DiscoveryConfig}, so the one {@code discovery.consul.acl-token} serves registration and lookups alike.
 */
@ServiceDiscoveryType("consul")
public class ConsulDiscoveryProvider implements ServiceDiscoveryProvider<ConsulConfiguration> {

    @Override
    public ServiceDiscovery createServiceDiscovery(ConsulConfiguration unused, String serviceName,
            ServiceConfig serviceConfig, StorkInfrastructure infrastructure) {
        DiscoveryConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                .getConfigMapping(DiscoveryConfig.class);
        return new ConsulLookup(serviceName, config, infrastructure.get(Vertx.class, Vertx::vertx));
    }
}
