package org.acme.resilience.guard;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.observe.CallCounters;
import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.policy.DownstreamPolicy;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * The guarded path to one downstream: a SmallRye Fault Tolerance {@link Guard} built from that downstream's policy.
 *
 * <p>SmallRye applies the strategies in a fixed order, outermost first: <b>retry &gt; circuit breaker &gt; timeout &gt;
 * bulkhead</b>. So every attempt, retries included, is one call for the circuit breaker, each attempt has its own
 * timeout, and each attempt holds a bulkhead slot only while it runs. Fallbacks are applied by callers around
 * {@link #call}, outside all of these, and only where a degraded answer makes sense ({@code CachedFallback}).
 *
 * <p>Only technical failures ({@link FailureClassifier}) count toward opening the circuit and are retried; a 4xx
 * passes straight through, and a call refused by an open circuit or a full bulkhead is not retried.
 */
public final class DownstreamGuard {

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final DownstreamPolicy policy;
    private final Guard guard;
    private final CallCounters counters = new CallCounters();
    private final AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
    private final AtomicReference<Instant> lastTransition;
    private final Clock clock;
    private final Consumer<CircuitTransition> transitions;

    DownstreamGuard(DownstreamPolicy policy, Clock clock, Consumer<CircuitTransition> transitions) {
        this.policy = policy;
        this.clock = clock;
        this.transitions = transitions;
        this.lastTransition = new AtomicReference<>(clock.instant());
        DownstreamPolicy.Retry retry = policy.retry();
        DownstreamPolicy.CircuitBreaker cb = policy.circuitBreaker();
        this.guard = Guard.create()
                .withDescription(policy.name())
                // The guarded actions are non-blocking (reactive REST client calls): no need to hop threads.
                .withThreadOffload(false)
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                    .withCustomBackoff()
                        .strategy(() -> new JitteredExponentialBackoff(retry,
                                () -> ThreadLocalRandom.current().nextDouble()))
                        .done()
                    .whenException(FailureClassifier::isTechnicalFailure)
                    .onRetry(counters::retry)
                    .done()
                .withCircuitBreaker()
                    .name(policy.name())
                    .requestVolumeThreshold(cb.window())
                    .failureRatio(cb.failureRatio())
                    .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(cb.successThreshold())
                    .when(FailureClassifier::isTechnicalFailure)
                    .onPrevented(counters::rejection)
                    .onStateChange(to -> this.transitions.accept(transition(to)))
                    .done()
                .withTimeout()
                    .duration(policy.timeout().toMillis(), ChronoUnit.MILLIS)
                    .onTimeout(counters::failure)
                    .done()
                .withBulkhead()
                    .limit(policy.bulkhead().maxConcurrent())
                    .queueSize(policy.bulkhead().queue())
                    .onRejected(counters::rejection)
                    .done()
                .build();
    }

    /**
     * Runs {@code action} under this downstream's policy. The action is subscribed once per attempt, so it must be
     * safe to repeat: a read, or a write carrying an idempotency key.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> call(Supplier<Uni<T>> action) {
        counters.call();
        Supplier<Uni<Object>> attempt = () -> ((Uni<Object>) action.get())
                .onItem().invoke(counters::success)
                .onFailure().invoke(this::countFailure);
        return (Uni<T>) guard.get(attempt, UNI);
    }

    public String name() {
        return policy.name();
    }

    public DownstreamPolicy policy() {
        return policy;
    }

    /** The circuit's state as SmallRye Fault Tolerance holds it. */
    public CircuitBreakerState state() {
        return CircuitBreakerMaintenance.get().currentState(policy.name());
    }

    /**
     * Closes the circuit by hand (operator action) and announces it like any other transition. Resets go through here,
     * not through {@link CircuitBreakerMaintenance} directly, so the announced {@code from} state stays true.
     */
    public void reset() {
        CircuitBreakerState before = state();
        CircuitBreakerMaintenance.get().reset(policy.name());
        CircuitBreakerState previous = state.getAndSet(CircuitBreakerState.CLOSED);
        if (before != CircuitBreakerState.CLOSED) {
            Instant now = clock.instant();
            lastTransition.set(now);
            transitions.accept(new CircuitTransition(policy.name(), previous, CircuitBreakerState.CLOSED,
                    "reset by operator", now));
        }
    }

    public Instant lastTransition() {
        return lastTransition.get();
    }

    public CallCounters counters() {
        return counters;
    }

    private void countFailure(Throwable failure) {
        if (FailureClassifier.isTechnicalFailure(failure)) {
            counters.failure();
        } else {
            counters.success(); // the downstream answered: a 4xx is a business outcome
        }
    }

    private CircuitTransition transition(CircuitBreakerState to) {
        CircuitBreakerState from = state.getAndSet(to);
        Instant now = clock.instant();
        lastTransition.set(now);
        return new CircuitTransition(policy.name(), from, to, reason(from, to), now);
    }

    private String reason(CircuitBreakerState from, CircuitBreakerState to) {
        DownstreamPolicy.CircuitBreaker cb = policy.circuitBreaker();
        return switch (to) {
            case OPEN -> from == CircuitBreakerState.HALF_OPEN
                    ? "a probe call failed while half-open"
                    : "failure ratio reached " + cb.failureRatio() + " over the last " + cb.window() + " calls";
            case HALF_OPEN -> "open for " + cb.delay() + ", letting probe calls through";
            case CLOSED -> cb.successThreshold() + " probe call(s) succeeded";
        };
    }
}
