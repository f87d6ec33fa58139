package org.acme.resilience.bench;

import java.io.IOException;
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
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;

/**
 * What the guarded path costs on a call that succeeds at once, and on a call refused by an open circuit, so only the
 * machinery is measured:
 * <ul>
 * <li>{@code bare}: the call itself (an already completed Uni), no protection;</li>
 * <li>{@code guarded}: the same call through {@link DownstreamGuard} (SmallRye Fault Tolerance: retry, bulkhead,
 * circuit breaker, and a deadline per attempt);</li>
 * <li>{@code resilience4j}: Resilience4j's equivalent composition (retry, circuit breaker, time limiter, bulkhead)
 * around an already completed CompletionStage;</li>
 * <li>{@code guardedOpen} and {@code resilience4jOpen}: the same compositions with the circuit open, the refusal
 * turned into a fallback answer.</li>
 * </ul>
 * Same settings on both sides: 2 retries that skip a refusal (open circuit, full bulkhead), a 10-call window at ratio
 * 0.5, a 1 s timeout, 20 concurrent calls; the open circuits wait an hour before they let a probe through.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GuardOverheadBenchmark {

    private DownstreamGuard guard;
    private DownstreamGuard openGuard;
    private Supplier<Uni<String>> call;
    private Supplier<CompletionStage<String>> resilience4j;
    private Supplier<CompletionStage<String>> openResilience4j;
    private ScheduledExecutorService scheduler;

    @Setup(Level.Trial)
    public void setUp() {
        // Outside a Quarkus application nothing sets a log level, and SmallRye Fault Tolerance's trace logging would
        // format a record on every call; a service logs at INFO.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        guard = TestGuards.of(policy("bench", Duration.ofSeconds(10)));
        openGuard = TestGuards.of(policy("bench-open", Duration.ofHours(1)));
        call = () -> Uni.createFrom().item("ok");
        Supplier<Uni<String>> down = () -> Uni.createFrom().failure(new IOException("connection refused"));
        while (openGuard.state() != CircuitBreakerState.OPEN) {
            openGuard.call(down).onFailure().recoverWithItem("refused").await().indefinitely();
        }

        scheduler = Executors.newScheduledThreadPool(2);
        Supplier<CompletionStage<String>> target = () -> CompletableFuture.completedFuture("ok");
        resilience4j = resilience4j("bench", target);
        CircuitBreaker open = CircuitBreaker.of("bench-open", breakerConfig(Duration.ofHours(1)));
        open.transitionToOpenState();
        openResilience4j = resilience4j(open, target);
    }

    private static Policies policy(String name, Duration openFor) {
        return Policies.policy(name).retries(2)
                .breaker(10, 0.5, openFor, 2)
                .timeout(Duration.ofSeconds(1))
                .bulkhead(20, 50);
    }

    private static CircuitBreakerConfig breakerConfig(Duration openFor) {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(openFor).permittedNumberOfCallsInHalfOpenState(2).build();
    }

    private Supplier<CompletionStage<String>> resilience4j(String name, Supplier<CompletionStage<String>> target) {
        return resilience4j(CircuitBreaker.of(name, breakerConfig(Duration.ofSeconds(10))), target);
    }

    private Supplier<CompletionStage<String>> resilience4j(CircuitBreaker circuitBreaker,
            Supplier<CompletionStage<String>> target) {
        Retry retry = Retry.of(circuitBreaker.getName(), RetryConfig.custom().maxAttempts(3)
                .waitDuration(Duration.ofMillis(10))
                .ignoreExceptions(CallNotPermittedException.class, BulkheadFullException.class).build());
        Bulkhead bulkhead = Bulkhead.of(circuitBreaker.getName(),
                BulkheadConfig.custom().maxConcurrentCalls(20).build());
        TimeLimiter timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(1))
                .build());
        Supplier<CompletionStage<String>> bulkheaded = Bulkhead.decorateCompletionStage(bulkhead, target);
        Supplier<CompletionStage<String>> limited = timeLimiter.decorateCompletionStage(scheduler, bulkheaded);
        Supplier<CompletionStage<String>> broken = CircuitBreaker.decorateCompletionStage(circuitBreaker, limited);
        return Retry.decorateCompletionStage(retry, scheduler, broken);
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

    @Benchmark
    public String guardedOpen() {
        return openGuard.call(call).onFailure().recoverWithItem("refused").await().indefinitely();
    }

    @Benchmark
    public String resilience4jOpen() {
        return openResilience4j.get().exceptionally(refused -> "refused").toCompletableFuture().join();
    }
}
