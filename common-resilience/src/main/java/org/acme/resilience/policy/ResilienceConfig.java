package org.acme.resilience.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Resilience policies for outbound calls, one per downstream, from configuration.
 *
 * <p>Every downstream starts from {@code resilience.defaults.*}; {@code resilience.downstream."<service>".*} overrides
 * single settings for the downstream whose Stork service name is {@code <service>}. The defaults below are the only
 * fault-tolerance numbers in the code base. Every key can be set by its environment variable form, e.g.
 * {@code RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__TIMEOUT=3s}. Out-of-range values fail startup naming the key
 * ({@link DownstreamPolicy#resolve}).
 */
@ConfigMapping(prefix = "resilience")
public interface ResilienceConfig {

    /** The policy every downstream starts from. */
    Defaults defaults();

    /** Per-downstream overrides, keyed by the downstream's service name. Only downstreams listed here can be called. */
    @WithName("downstream")
    Map<String, Overrides> downstreams();

    /** Operator endpoints ({@code /resilience/circuits/{name}/reset}). */
    Admin admin();

    /** Calls between the services of this system ({@code ServiceToken}). */
    Service service();

    /** Calls that watch or steer other services' instances ({@code ManagementCalls}), not their business APIs. */
    Management management();

    interface Defaults {
        /** How long one attempt may take before it is abandoned and counted as a failure. */
        @WithDefault("2s")
        Duration timeout();

        RetryDefaults retry();

        CircuitBreakerDefaults circuitBreaker();

        BulkheadDefaults bulkhead();

        FallbackDefaults fallback();
    }

    interface RetryDefaults {
        /** Retries after the first attempt; 0 disables retrying. */
        @WithDefault("2")
        int maxRetries();

        /** Delay before the first retry. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Each further retry waits this many times longer than the one before. */
        @WithDefault("2.0")
        double factor();

        /** Upper bound of the delay before jitter is applied. */
        @WithDefault("2s")
        Duration maxDelay();

        /** Random spread of each delay: it is multiplied by a uniform factor in [1 - jitter, 1 + jitter]. */
        @WithDefault("0.5")
        double jitter();

        /** Retrying stops once this much time has passed since the first attempt. */
        @WithDefault("10s")
        Duration maxDuration();
    }

    interface CircuitBreakerDefaults {
        /** Size of the rolling window of calls over which the failure ratio is computed. */
        @WithDefault("10")
        int window();

        /** Share of failed calls in a full window that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the circuit stays open before letting probe calls through (half-open). */
        @WithDefault("10s")
        Duration delay();

        /** Successful probe calls needed, in half-open, to close the circuit again. */
        @WithDefault("2")
        int successThreshold();
    }

    interface BulkheadDefaults {
        /** Calls to the downstream allowed to run at the same time. */
        @WithDefault("20")
        int maxConcurrent();

        /** Calls allowed to wait for a slot (at least 1); beyond that they are rejected at once. */
        @WithDefault("50")
        int queue();
    }

    interface FallbackDefaults {
        /** How long a cached last-known-good answer may stand in for a read while the downstream fails. */
        @WithDefault("5m")
        Duration cacheTtl();
    }

    /** Any setting left out falls back to the matching {@code resilience.defaults} setting. */
    interface Overrides {
        Optional<Duration> timeout();

        RetryOverrides retry();

        CircuitBreakerOverrides circuitBreaker();

        BulkheadOverrides bulkhead();

        FallbackOverrides fallback();
    }

    interface RetryOverrides {
        OptionalInt maxRetries();

        Optional<Duration> initialDelay();

        OptionalDouble factor();

        Optional<Duration> maxDelay();

        OptionalDouble jitter();

        Optional<Duration> maxDuration();
    }

    interface CircuitBreakerOverrides {
        OptionalInt window();

        OptionalDouble failureRatio();

        Optional<Duration> delay();

        OptionalInt successThreshold();
    }

    interface BulkheadOverrides {
        OptionalInt maxConcurrent();

        OptionalInt queue();
    }

    interface FallbackOverrides {
        Optional<Duration> cacheTtl();
    }

    interface Admin {
        /**
         * Token required in the {@code X-Admin-Token} header by operator endpoints. While unset, those endpoints do not
         * exist (404).
         */
        Optional<String> token();
    }

    interface Service {
        /**
         * Shared secret a service presents as {@code Authorization: Bearer <token>} to the services it calls, and that
         * their service APIs require. Demo-grade: one token for the whole system, rotated by restarting everything;
         * in production use mutual TLS (or a workload identity) instead. While unset, the APIs that need it do not
         * exist (404) and calls carry no {@code Authorization} header.
         */
        Optional<String> token();
    }

    interface Management {
        /** How long one instance may take to answer before it is shown as unreachable. */
        @WithDefault("1s")
        Duration timeout();

        /** Management calls to one service running at the same time; more wait in a queue of four times this. */
        @WithDefault("4")
        int maxConcurrent();
    }
}
