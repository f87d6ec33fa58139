package org.acme.resilience.testing;

import java.time.Duration;

import org.acme.resilience.policy.DownstreamPolicy;

/** A builder of downstream policies for tests: small, fast defaults that each test changes where it matters. */
public final class Policies {

    private String name = "flaky-service";
    private Duration timeout = Duration.ofSeconds(1);
    private int maxRetries = 0;
    private Duration initialDelay = Duration.ofMillis(10);
    private double factor = 2.0;
    private Duration maxDelay = Duration.ofMillis(100);
    private double jitter = 0.0;
    private Duration maxDuration = Duration.ofSeconds(10);
    private int window = 4;
    private double failureRatio = 0.5;
    private Duration delay = Duration.ofMillis(150);
    private int successThreshold = 2;
    private int maxConcurrent = 10;
    private int queue = 10;
    private Duration cacheTtl = Duration.ofMinutes(5);

    public static Policies policy(String name) {
        Policies p = new Policies();
        p.name = name;
        return p;
    }

    public Policies timeout(Duration value) {
        timeout = value;
        return this;
    }

    public Policies retries(int value) {
        maxRetries = value;
        return this;
    }

    /** The retry's {@code max-duration}: the budget of one call, its retries included. */
    public Policies retryBudget(Duration value) {
        maxDuration = value;
        return this;
    }

    public Policies backoff(Duration initial, double factor, Duration max, double jitter) {
        this.initialDelay = initial;
        this.factor = factor;
        this.maxDelay = max;
        this.jitter = jitter;
        return this;
    }

    public Policies breaker(int window, double failureRatio, Duration delay, int successThreshold) {
        this.window = window;
        this.failureRatio = failureRatio;
        this.delay = delay;
        this.successThreshold = successThreshold;
        return this;
    }

    public Policies bulkhead(int maxConcurrent, int queue) {
        this.maxConcurrent = maxConcurrent;
        this.queue = queue;
        return this;
    }

    public Policies cacheTtl(Duration value) {
        cacheTtl = value;
        return this;
    }

    public DownstreamPolicy build() {
        return new DownstreamPolicy(name, timeout,
                new DownstreamPolicy.Retry(maxRetries, initialDelay, factor, maxDelay, jitter, maxDuration),
                new DownstreamPolicy.CircuitBreaker(window, failureRatio, delay, successThreshold),
                new DownstreamPolicy.Bulkhead(maxConcurrent, queue),
                new DownstreamPolicy.Fallback(cacheTtl));
    }
}
