package org.acme.resilience.observe;

import java.time.Instant;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.policy.DownstreamPolicy;

import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** What {@code GET /resilience/circuits} shows for one downstream. */
public record CircuitView(String name, CircuitBreakerState state, Instant since, DownstreamPolicy policy,
        CallCounters.Snapshot counts) {

    public static CircuitView of(DownstreamGuard guard) {
        return new CircuitView(guard.name(), guard.state(), guard.lastTransition(), guard.policy(),
                guard.counters().snapshot());
    }
}
