package org.acme.resilience.guard;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.policy.DownstreamPolicy;
import org.acme.resilience.policy.ResilienceConfig;

import io.quarkus.runtime.Startup;

/**
 * One {@link DownstreamGuard} per downstream listed under {@code resilience.downstream}, built at startup so a bad
 * setting stops the service before it takes traffic. This registry is the one path outbound calls take.
 */
@Startup
@ApplicationScoped
public class DownstreamGuards {

    private final Map<String, DownstreamGuard> guards = new TreeMap<>();

    public DownstreamGuards(ResilienceConfig config, Event<CircuitTransition> transitions, Clock clock) {
        config.downstreams().forEach((name, overrides) -> {
            DownstreamPolicy policy = DownstreamPolicy.resolve(name, config.defaults(), overrides);
            guards.put(name, new DownstreamGuard(policy, clock, transitions::fire));
        });
    }

    /** The guard of {@code downstream}; a name not in the configuration is a programming error. */
    public DownstreamGuard get(String downstream) {
        DownstreamGuard guard = guards.get(downstream);
        if (guard == null) {
            throw new IllegalArgumentException("No resilience policy for downstream '" + downstream
                    + "': add resilience.downstream.\"" + downstream + "\" to the configuration");
        }
        return guard;
    }

    public Collection<DownstreamGuard> all() {
        return guards.values();
    }
}
