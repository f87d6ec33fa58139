package org.acme.resilience.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Micrometer meters per downstream, tagged {@code downstream=<service name>}: {@code resilience.circuit.state} (0
 * closed, 1 half-open, 2 open) and {@code resilience.calls} by outcome, plus retries and fallbacks.
 */
@ApplicationScoped
public class CircuitMetrics {

    void register(@Observes StartupEvent start, DownstreamGuards guards, MeterRegistry registry) {
        for (DownstreamGuard guard : guards.all()) {
            String name = guard.name();
            // A registry can outlive an application in the same JVM (Quarkus tests restart it, as does dev mode): a
            // meter with the same id would then be handed back bound to the previous application's guard, weakly
            // referenced and soon collected (its values gone from the scrape). These meters are this guard's.
            registry.find("resilience.circuit.state").tag("downstream", name).meters().forEach(registry::remove);
            for (String meter : new String[] { "resilience.calls", "resilience.retries", "resilience.fallbacks" }) {
                registry.find(meter).tag("downstream", name).meters().forEach(registry::remove);
            }
            Gauge.builder("resilience.circuit.state", guard, g -> level(g.state()))
                    .tag("downstream", name)
                    .description("Circuit state: 0 closed, 1 half-open, 2 open")
                    .register(registry);
            CallCounters counters = guard.counters();
            counter(registry, "resilience.calls", name, "success", counters, s -> s.successes());
            counter(registry, "resilience.calls", name, "failure", counters, s -> s.failures());
            counter(registry, "resilience.calls", name, "rejected", counters, s -> s.rejections());
            FunctionCounter.builder("resilience.retries", counters, c -> c.snapshot().retries())
                    .tag("downstream", name).register(registry);
            FunctionCounter.builder("resilience.fallbacks", counters, c -> c.snapshot().fallbacks())
                    .tag("downstream", name).register(registry);
        }
    }

    private static void counter(MeterRegistry registry, String meter, String downstream, String outcome,
            CallCounters counters, java.util.function.ToLongFunction<CallCounters.Snapshot> value) {
        FunctionCounter.builder(meter, counters, c -> value.applyAsLong(c.snapshot()))
                .tag("downstream", downstream)
                .tag("outcome", outcome)
                .register(registry);
    }

    private static double level(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
