package org.acme.resilience.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.TestGuards;
import org.acme.resilience.testing.Policies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.smallrye.mutiny.Uni;

/**
 * What the guarded path costs on a call that succeeds at once, so only the machinery is measured:
 * <ul>
 * <li>{@code bare}: the call itself (an already completed Uni), no protection;</li>
 * <li>{@code guarded}: the same call through {@link DownstreamGuard} (SmallRye Fault Tolerance: retry, circuit
 * breaker, timeout, bulkhead);</li>
 * <li>{@code resilience4j}: Resilience4j's equivalent composition (retry, circuit breaker, time limiter, bulkhead)
 * around an already completed CompletionStage.</li>
 * </ul>
 * Same settings on both sides: 2 retries, a 10-call window at ratio 0.5, a 1 s timeout, 20 concurrent calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GuardOverheadBenchmark {

    private DownstreamGuard guard;
    private Supplier<Uni<String>> call;
    private Supplier<CompletionStage<String>> resilience4j;
    private ScheduledExecutorService scheduler;

    @Setup(Level.Trial)
    public void setUp() {
        guard = TestGuards.of(Policies.policy("bench").retries(2)
                .breaker(10, 0.5, Duration.ofSeconds(10), 2)
                .timeout(Duration.ofSeconds(1))
                .bulkhead(20, 50));
        call = () -> Uni.createFrom().item("ok");

        scheduler = Executors.newScheduledThreadPool(2);
        CircuitBreaker circuitBreaker = CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(2).build());
        Retry retry = Retry.of("bench", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(200)).build());
        Bulkhead bulkhead = Bulkhead.of("bench", BulkheadConfig.custom().maxConcurrentCalls(20).build());
        TimeLimiter timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(1))
                .build());
        Supplier<CompletionStage<String>> target = () -> CompletableFuture.completedFuture("ok");
        Supplier<CompletionStage<String>> bulkheaded = Bulkhead.decorateCompletionStage(bulkhead, target);
        Supplier<CompletionStage<String>> limited = timeLimiter.decorateCompletionStage(scheduler, bulkheaded);
        Supplier<CompletionStage<String>> broken = CircuitBreaker.decorateCompletionStage(circuitBreaker, limited);
        resilience4j = Retry.decorateCompletionStage(retry, scheduler, broken);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
    }

    @Benchmark
    public String bare() {
        return call.get().await().indefinitely();
    }

    @Benchmark
    public String guarded() {
        return guard.call(call).await().indefinitely();
    }

    @Benchmark
    public String resilience4j() {
        return resilience4j.get().toCompletableFuture().join();
    }
}
