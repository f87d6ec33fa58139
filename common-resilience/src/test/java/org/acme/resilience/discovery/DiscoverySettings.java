package org.acme.resilience.discovery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.acme.resilience.testing.ConsulAgent;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@link DiscoveryConfig} for plain JUnit tests: Consul discovery against a test agent, plus overrides. */
final class DiscoverySettings {

    private DiscoverySettings() {
    }

    static DiscoveryConfig consul(ConsulAgent agent, String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "discovery.type", "consul",
                "discovery.consul.host", "127.0.0.1",
                "discovery.consul.port", String.valueOf(agent.port()),
                "discovery.consul.acl-token", agent.aclToken(),
                "discovery.consul.service-address", "127.0.0.1",
                "discovery.refresh-period", "100ms",
                "discovery.lookup-timeout", "3s")); // generous: the build machine may be busy
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                values.remove(overrides[i]);
            } else {
                values.put(overrides[i], overrides[i + 1]);
            }
        }
        return new SmallRyeConfigBuilder().withMapping(DiscoveryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "10s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(values, "test", 500)).build()
                .getConfigMapping(DiscoveryConfig.class);
    }
}
