package org.acme.resilience.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.classify.NotNowException;
import org.acme.resilience.observe.CallCounters;
import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.policy.DownstreamPolicy;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.netty.util.Timeout;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * The guarded path to one downstream, built from that downstream's policy on SmallRye Fault Tolerance: three
 * {@link Guard}s nested <b>retry &gt; bulkhead &gt; circuit breaker</b>, and a deadline on each attempt.
 *
 * <ul>
 * <li><b>Retry</b>, outermost: each attempt is a fresh pass through the bulkhead and the breaker. It retries technical
 * failures, and a "not now" (408, 429, 503 with {@code Retry-After}) after {@code max(backoff, Retry-After)} when that
 * wait fits the retry's max delay and the call's remaining budget; never a business 4xx or a local refusal.</li>
 * <li><b>Bulkhead</b> outside the breaker's view: a rejection, or an attempt dropped from the queue because its
 * deadline passed there, never reached the downstream, so the breaker must not judge it. (Inside the breaker, as in
 * SmallRye's own order, a rejection counts as a success: rejected half-open probes would close the circuit blind.)</li>
 * <li><b>Circuit breaker</b> sees only attempts that reached the downstream: technical failures count against it,
 * any answer (a business 4xx, a "not now") for it.</li>
 * <li><b>Deadline</b>: each attempt has {@code timeout} from the moment it asks the bulkhead, queueing included. A
 * running attempt past it is cancelled (the subscription, and with it the HTTP request, is cancelled: SmallRye's own
 * timeout would leave it running) and fails with a {@link TimeoutException}; a queued one is dropped.</li>
 * </ul>
 * Fallbacks are applied by callers around {@link #call}, outside all of these, and only where a degraded answer makes
 * sense ({@code CachedFallback}). Every attempt ends as exactly one of success, failure or rejection in {@link
 * CallCounters}. Semantics and how they compare with Resilience4j: {@code docs/guard-semantics.md}.
 */
public final class DownstreamGuard {

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final DownstreamPolicy policy;
    private final Guard retry;
    private final Guard bulkhead;
    private final Guard breaker;
    private final CallCounters counters = new CallCounters();
    private final AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
    private final Object announcing = new Object();
    /**
     * While the circuit is open, until when the guard refuses calls itself (nanoTime); at or before now otherwise. The
     * window ends a margin before the circuit's delay does (a tenth of it, at most 100 ms): the guard hears of an
     * opening a moment after SmallRye made it, and when to let a probe through stays SmallRye's decision.
     */
    private volatile long refuseUntil = System.nanoTime();
    private final long refusalWindow;
    private final AtomicReference<Instant> lastTransition;
    private final Clock clock;
    private final Consumer<CircuitTransition> transitions;

    DownstreamGuard(DownstreamPolicy policy, Clock clock, Consumer<CircuitTransition> transitions) {
        this.policy = policy;
        this.clock = clock;
        this.transitions = transitions;
        this.lastTransition = new AtomicReference<>(clock.instant());
        DownstreamPolicy.Retry retryPolicy = policy.retry();
        DownstreamPolicy.CircuitBreaker cb = policy.circuitBreaker();
        long delay = cb.delay().toNanos();
        this.refusalWindow = delay - Math.min(delay / 10, Duration.ofMillis(100).toNanos());
        // The guarded actions are non-blocking (reactive REST client calls): no guard needs to hop threads.
        this.retry = Guard.create()
                .withDescription(policy.name() + " retry")
                .withThreadOffload(false)
                .withRetry()
                    .maxRetries(retryPolicy.maxRetries())
                    .delay(retryPolicy.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(retryPolicy.maxDuration().toMillis(), ChronoUnit.MILLIS)
                    .withCustomBackoff()
                        .strategy(() -> new JitteredExponentialBackoff(retryPolicy,
                                () -> ThreadLocalRandom.current().nextDouble()))
                        .done()
                    .whenException(DownstreamGuard::worthRetrying)
                    .onRetry(counters::retry)
                    .done()
                .build();
        this.bulkhead = Guard.create()
                .withDescription(policy.name() + " bulkhead")
                .withThreadOffload(false)
                .withBulkhead()
                    .limit(policy.bulkhead().maxConcurrent())
                    .queueSize(policy.bulkhead().queue())
                    .onRejected(counters::rejection)
                    .done()
                .build();
        this.breaker = Guard.create()
                .withDescription(policy.name())
                .withThreadOffload(false)
                .withCircuitBreaker()
                    .name(policy.name())
                    .requestVolumeThreshold(cb.window())
                    .failureRatio(cb.failureRatio())
                    .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(cb.successThreshold())
                    .when(FailureClassifier::isTechnicalFailure)
                    .onPrevented(counters::rejection)
                    .onStateChange(this::announce)
                    .done()
                .build();
    }

    /**
     * Runs {@code action} under this downstream's policy. The action is subscribed once per attempt, so it must be
     * safe to repeat: a read, or a write carrying an idempotency key.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> call(Supplier<Uni<T>> action) {
        return Uni.createFrom().deferred(() -> {
            counters.call();
            if (System.nanoTime() - refuseUntil < 0) { // opened well within its delay: SmallRye would refuse too
                counters.rejection();
                return Uni.createFrom().failure(new StillOpenException(policy.name()));
            }
            Call call = new Call(System.nanoTime() + policy.retry().maxDuration().toNanos());
            // SmallRye's guards do not pass a cancellation on to what they run: the call remembers it instead.
            return ((Uni<T>) retry.get(() -> attempt((Supplier<Uni<Object>>) (Supplier<?>) action, call), UNI))
                    .onCancellation().invoke(call::giveUp);
        });
    }

    /** One attempt: its deadline runs from now, through the bulkhead's queue, to the downstream's answer. */
    private Uni<Object> attempt(Supplier<Uni<Object>> action, Call call) {
        long deadline = System.nanoTime() + policy.timeout().toNanos();
        return Uni.createFrom().emitter(emitter -> {
            Attempt attempt = new Attempt(emitter);
            bulkhead.get(() -> {
                if (!attempt.start()) {
                    return Uni.createFrom().failure(queuedPastDeadline()); // counted when it was abandoned
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || call.gaveUp()) { // its time was spent in the queue, or its caller left
                    counters.rejection();
                    return Uni.createFrom().failure(left <= 0 ? queuedPastDeadline() : callerGaveUp());
                }
                return breaker.get(() -> reach(action, left, call), UNI);
            }, UNI).subscribe().withSubscriber(attempt);
            if (attempt.queued()) { // the bulkhead queued it: if it still waits at its deadline, the caller is told
                attempt.dropAt(AttemptTimer.after(deadline - System.nanoTime(), () -> {
                    if (attempt.abandon()) { // the task will never run
                        counters.rejection();
                        emitter.fail(queuedPastDeadline());
                    }
                }));
            }
        });
    }

    private BulkheadException callerGaveUp() {
        return new BulkheadException(policy.name() + ": dropped from the queue, its caller gave up");
    }

    private BulkheadException queuedPastDeadline() {
        return new BulkheadException(policy.name() + ": queued past the attempt's deadline of " + policy.timeout());
    }

    /** The part the circuit breaker judges: the downstream reached, its answer counted once, cut off at the deadline. */
    private Uni<Object> reach(Supplier<Uni<Object>> action, long leftNanos, Call call) {
        return Uni.createFrom().emitter(emitter -> new Reaching(emitter, leftNanos, call.budgetEnds()).run(action));
    }

    private TimeoutException timedOut() {
        return new TimeoutException(policy.name() + " did not answer within " + policy.timeout());
    }

    /** A "not now", with whether waiting for it fits: at most the retry's max delay, within the call's budget. */
    private NotNowException notNow(Throwable answer, long budgetEnds) {
        Optional<Duration> retryAfter = FailureClassifier.retryAfter(answer, clock);
        Duration wait = retryAfter.orElse(policy.retry().initialDelay());
        boolean fits = wait.compareTo(policy.retry().maxDelay()) <= 0
                && System.nanoTime() + wait.toNanos() < budgetEnds;
        return new NotNowException(answer, retryAfter, fits);
    }

    private static boolean worthRetrying(Throwable failure) {
        return failure instanceof NotNowException notNow
                ? notNow.worthRetrying()
                : FailureClassifier.isTechnicalFailure(failure);
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
        synchronized (announcing) {
            CircuitBreakerState before = state();
            CircuitBreakerMaintenance.get().reset(policy.name());
            refuseUntil = System.nanoTime();
            CircuitBreakerState previous = state.getAndSet(CircuitBreakerState.CLOSED);
            if (before != CircuitBreakerState.CLOSED) {
                Instant now = clock.instant();
                lastTransition.set(now);
                transitions.accept(new CircuitTransition(policy.name(), previous, CircuitBreakerState.CLOSED,
                        "reset by operator", now));
            }
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
            counters.success(); // the downstream answered: a business 4xx, or "not now"
        }
    }

    /**
     * A call refused because the circuit opened less than its delay ago ({@link #refuseUntil}). The guard answers it
     * before any strategy runs, as SmallRye's breaker would, and without a stack trace: the refusal is decided by the
     * circuit's state, not by the code path, and filling one in was half of an open circuit's cost per call.
     */
    static final class StillOpenException extends CircuitBreakerOpenException {
        StillOpenException(String downstream) {
            super(downstream + ": the circuit is open");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** One guarded call across its attempts: when its retry budget ends, and whether its caller gave up. */
    private static final class Call {
        private final long budgetEnds;
        private volatile boolean gaveUp;

        Call(long budgetEnds) {
            this.budgetEnds = budgetEnds;
        }

        long budgetEnds() {
            return budgetEnds;
        }

        void giveUp() {
            gaveUp = true;
        }

        boolean gaveUp() {
            return gaveUp;
        }
    }

    /**
     * An attempt's place in the bulkhead: queued, then either running or abandoned, never both; and the subscriber
     * that passes what came out of the bulkhead on to the caller.
     */
    private static final class Attempt implements UniSubscriber<Object> {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int ABANDONED = 2;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final UniEmitter<? super Object> caller;
        private volatile Timeout drop;

        Attempt(UniEmitter<? super Object> caller) {
            this.caller = caller;
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            // nothing to cancel: a caller that leaves is told by Call.gaveUp, and a queued attempt is dropped
        }

        @Override
        public void onItem(Object item) {
            caller.complete(item);
        }

        @Override
        public void onFailure(Throwable failure) {
            abandon(); // if it never ran: refused by the bulkhead itself, which counted it
            caller.fail(failure);
        }

        boolean queued() {
            return state.get() == QUEUED;
        }

        /** When a queued attempt is to be dropped; no longer needed once it has left the queue. */
        void dropAt(Timeout drop) {
            this.drop = drop;
            if (!queued()) {
                drop.cancel();
            }
        }

        boolean start() {
            return leave(RUNNING);
        }

        boolean abandon() {
            return leave(ABANDONED);
        }

        private boolean leave(int to) {
            if (!state.compareAndSet(QUEUED, to)) {
                return false;
            }
            Timeout pending = drop;
            if (pending != null) {
                pending.cancel();
            }
            return true;
        }
    }

    /**
     * One attempt at the downstream: its answer or its deadline, whichever comes first, settles it and is counted.
     * Then, or when the caller cancels, the action's subscription, and with it the HTTP request, is cancelled: the
     * attempt does not run on past its deadline holding a bulkhead slot, as SmallRye's own timeout would leave it.
     */
    private final class Reaching implements UniSubscriber<Object> {
        private static final UniSubscription CANCELLED = () -> {
        };
        private final UniEmitter<Object> emitter;
        private final long budgetEnds;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final AtomicReference<UniSubscription> upstream = new AtomicReference<>();
        private final Timeout deadline;

        Reaching(UniEmitter<Object> emitter, long nanos, long budgetEnds) {
            this.emitter = emitter;
            this.budgetEnds = budgetEnds;
            this.deadline = AttemptTimer.after(nanos, () -> {
                if (settle()) {
                    counters.failure();
                    cancel(); // the request is cut off before anyone hears of the timeout
                    emitter.fail(timedOut());
                }
            });
            emitter.onTermination(this::cancel);
        }

        void run(Supplier<Uni<Object>> action) {
            Uni<Object> answer;
            try {
                answer = action.get();
            } catch (RuntimeException failure) {
                onFailure(failure);
                return;
            }
            answer.subscribe().withSubscriber(this);
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
            if (!upstream.compareAndSet(null, subscription)) {
                subscription.cancel(); // cancelled before it began
            }
        }

        @Override
        public void onItem(Object item) {
            if (settle()) {
                counters.success();
                emitter.complete(item);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            if (settle()) {
                countFailure(failure);
                emitter.fail(FailureClassifier.isNotNow(failure) ? notNow(failure, budgetEnds) : failure);
            }
        }

        private boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            deadline.cancel();
            return true;
        }

        private void cancel() {
            deadline.cancel();
            UniSubscription subscription = upstream.getAndSet(CANCELLED);
            if (subscription != null && subscription != CANCELLED) {
                subscription.cancel();
            }
        }
    }

    /**
     * Announces what the circuit did. Transitions happen on whichever thread finished the call that caused them, and
     * Fault Tolerance moves the state before it calls back, so callbacks can arrive in another order than the moves.
     * Under one lock, the announcement therefore goes from the last announced state to the state the circuit is in
     * now, in legal steps ({@code OPEN -> CLOSED} through {@code HALF_OPEN}, {@code CLOSED -> HALF_OPEN} through
     * {@code OPEN}); a callback that finds nothing new announces nothing. Each announcement starts where the one
     * before it ended, and the last one ends where the circuit is.
     */
    private void announce(CircuitBreakerState ignoredTo) {
        synchronized (announcing) {
            CircuitBreakerState actual = state();
            CircuitBreakerState from = state.get();
            if (from == actual) {
                return;
            }
            long now = System.nanoTime();
            refuseUntil = actual == CircuitBreakerState.OPEN ? now + refusalWindow : now;
            if (from == CircuitBreakerState.OPEN && actual == CircuitBreakerState.CLOSED) {
                transitions.accept(transition(CircuitBreakerState.HALF_OPEN));
            } else if (from == CircuitBreakerState.CLOSED && actual == CircuitBreakerState.HALF_OPEN) {
                transitions.accept(transition(CircuitBreakerState.OPEN));
            }
            transitions.accept(transition(actual));
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
