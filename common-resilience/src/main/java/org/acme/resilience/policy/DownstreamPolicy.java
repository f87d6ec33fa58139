package org.acme.resilience.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The resolved, validated policy for calls to one downstream: its overrides laid over the shared defaults.
 *
 * @param name the downstream's service name (Stork service name, circuit-breaker name and config key)
 * @param timeout limit on one attempt
 */
public record DownstreamPolicy(String name, Duration timeout, Retry retry, CircuitBreaker circuitBreaker,
        Bulkhead bulkhead, Fallback fallback) {

    /** @param jitter each delay is multiplied by a uniform factor in [1 - jitter, 1 + jitter] */
    public record Retry(int maxRetries, Duration initialDelay, double factor, Duration maxDelay, double jitter,
            Duration maxDuration) {
    }

    /** @param window rolling window size (calls); the failure ratio is judged once it is full */
    public record CircuitBreaker(int window, double failureRatio, Duration delay, int successThreshold) {
    }

    public record Bulkhead(int maxConcurrent, int queue) {
    }

    public record Fallback(Duration cacheTtl) {
    }

    /**
     * Lays {@code overrides} over {@code defaults} and checks every value.
     *
     * @throws InvalidPolicyException naming each offending configuration key
     */
    public static DownstreamPolicy resolve(String name, ResilienceConfig.Defaults defaults,
            ResilienceConfig.Overrides overrides) {
        Resolver r = new Resolver(name);
        ResilienceConfig.RetryOverrides ro = overrides.retry();
        ResilienceConfig.RetryDefaults rd = defaults.retry();
        ResilienceConfig.CircuitBreakerOverrides co = overrides.circuitBreaker();
        ResilienceConfig.CircuitBreakerDefaults cd = defaults.circuitBreaker();

        Duration timeout = r.positive("timeout", overrides.timeout(), defaults.timeout());
        Retry retry = new Retry(
                r.between("retry.max-retries", ro.maxRetries(), rd.maxRetries(), 0, 20),
                r.nonNegative("retry.initial-delay", ro.initialDelay(), rd.initialDelay()),
                r.between("retry.factor", ro.factor(), rd.factor(), 1.0, 10.0),
                r.nonNegative("retry.max-delay", ro.maxDelay(), rd.maxDelay()),
                r.between("retry.jitter", ro.jitter(), rd.jitter(), 0.0, 1.0),
                r.positive("retry.max-duration", ro.maxDuration(), rd.maxDuration()));
        CircuitBreaker circuitBreaker = new CircuitBreaker(
                r.between("circuit-breaker.window", co.window(), cd.window(), 1, 10_000),
                r.between("circuit-breaker.failure-ratio", co.failureRatio(), cd.failureRatio(), 0.01, 1.0),
                r.positive("circuit-breaker.delay", co.delay(), cd.delay()),
                r.between("circuit-breaker.success-threshold", co.successThreshold(), cd.successThreshold(), 1,
                        10_000));
        Bulkhead bulkhead = new Bulkhead(
                r.between("bulkhead.max-concurrent", overrides.bulkhead().maxConcurrent(),
                        defaults.bulkhead().maxConcurrent(), 1, 10_000),
                r.between("bulkhead.queue", overrides.bulkhead().queue(), defaults.bulkhead().queue(), 1, 100_000));
        Fallback fallback = new Fallback(
                r.nonNegative("fallback.cache-ttl", overrides.fallback().cacheTtl(), defaults.fallback().cacheTtl()));

        if (retry.initialDelay().compareTo(retry.maxDelay()) > 0) {
            r.problems.add(r.key("retry.initial-delay") + " (" + retry.initialDelay() + ") must not exceed "
                    + r.key("retry.max-delay") + " (" + retry.maxDelay() + ")");
        }
        if (circuitBreaker.successThreshold() > circuitBreaker.window()) {
            r.problems.add(r.key("circuit-breaker.success-threshold") + " (" + circuitBreaker.successThreshold()
                    + ") must not exceed " + r.key("circuit-breaker.window") + " (" + circuitBreaker.window() + ")");
        }
        if (!r.problems.isEmpty()) {
            throw new InvalidPolicyException(r.problems);
        }
        return new DownstreamPolicy(name, timeout, retry, circuitBreaker, bulkhead, fallback);
    }

    /** Picks override-or-default for each setting and remembers which key a bad value came from. */
    private static final class Resolver {
        private final String downstream;
        private final List<String> problems = new ArrayList<>();

        Resolver(String downstream) {
            this.downstream = downstream;
        }

        String key(String setting) {
            return "resilience.downstream.\"" + downstream + "\"." + setting;
        }

        private String source(String setting, boolean overridden) {
            return overridden ? key(setting) : "resilience.defaults." + setting;
        }

        int between(String setting, OptionalInt override, int fallback, int min, int max) {
            int value = override.orElse(fallback);
            if (value < min || value > max) {
                problems.add(source(setting, override.isPresent()) + " must be between " + min + " and " + max
                        + ", was " + value);
            }
            return value;
        }

        double between(String setting, OptionalDouble override, double fallback, double min, double max) {
            double value = override.orElse(fallback);
            if (!(value >= min && value <= max)) {
                problems.add(source(setting, override.isPresent()) + " must be between " + min + " and " + max
                        + ", was " + value);
            }
            return value;
        }

        Duration positive(String setting, Optional<Duration> override, Duration fallback) {
            Duration value = override.orElse(fallback);
            if (value.isNegative() || value.isZero()) {
                problems.add(source(setting, override.isPresent()) + " must be a positive duration, was " + value);
            }
            return value;
        }

        Duration nonNegative(String setting, Optional<Duration> override, Duration fallback) {
            Duration value = override.orElse(fallback);
            if (value.isNegative()) {
                problems.add(source(setting, override.isPresent()) + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
