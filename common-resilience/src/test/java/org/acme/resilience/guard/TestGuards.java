package org.acme.resilience.guard;

import java.time.Clock;

import org.acme.resilience.testing.Policies;

/** Builds guards outside CDI for tests in other packages; transitions are dropped. */
public final class TestGuards {

    private TestGuards() {
    }

    public static DownstreamGuard of(Policies policy) {
        return new DownstreamGuard(policy.build(), Clock.systemUTC(), transition -> {
        });
    }
}
