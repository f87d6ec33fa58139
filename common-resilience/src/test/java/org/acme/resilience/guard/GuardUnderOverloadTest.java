package org.acme.resilience.guard;

import static io.smallrye.faulttolerance.api.CircuitBreakerState.CLOSED;
import static io.smallrye.faulttolerance.api.CircuitBreakerState.HALF_OPEN;
import static io.smallrye.faulttolerance.api.CircuitBreakerState.OPEN;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.ANSWER;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_4XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_5XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.HANG;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.REQUEST_TIMEOUT;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.SHED;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.TOO_MANY_REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.WebApplicationException;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.observe.CallCounters;
import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.testing.FakeDownstream;
import org.acme.resilience.testing.Policies;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The guard where the pattern earns its keep: a hung or slow downstream with more callers than it admits, answers that
 * say "not now", half-open probes. SmallRye-driven transitions use short configured delays and Awaitility, never
 * fixed sleeps. Each case and how Resilience4j and plain SmallRye FT handle it: {@code docs/guard-semantics.md}.
 */
class GuardUnderOverloadTest {

    private final List<CircuitTransition> transitions = Collections.synchronizedList(new ArrayList<>());
    private final FakeDownstream downstream = new FakeDownstream();

    private DownstreamGuard guard(Policies policy) {
        return new DownstreamGuard(policy.build(), Clock.systemUTC(), transitions::add);
    }

    private static Policies policy() {
        return Policies.policy("overloaded-" + UUID.randomUUID());
    }

    private List<CircuitBreakerState> states() {
        synchronized (transitions) {
            return transitions.stream().map(CircuitTransition::to).toList();
        }
    }

    /** Fires {@code n} concurrent calls and waits until every one of them has ended; their failures, in order. */
    private static List<Throwable> concurrently(DownstreamGuard guard, FakeDownstream downstream, int n) {
        List<CompletableFuture<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            guard.call(downstream).subscribe().with(item -> ended.complete(null), ended::complete);
            calls.add(ended);
        }
        return calls.stream().map(call -> call.orTimeout(10, TimeUnit.SECONDS).join()).toList();
    }

    @Test
    void aHungDownstreamWithMoreCallersThanTheBulkheadNeverClosesTheCircuitBlind() {
        Duration delay = Duration.ofMillis(200);
        // 2 probes needed to close, a bulkhead of 1 with a queue of 1: of 10 callers at most 2 get past it
        DownstreamGuard guard = guard(policy().timeout(Duration.ofMillis(100)).retries(0)
                .breaker(4, 0.5, delay, 2).bulkhead(1, 1));
        downstream.behave(HANG);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            concurrently(guard, downstream, 6);
            return guard.state() == OPEN;
        });

        // Batches of callers for several breaker delays: every half-open probe that gets through hangs and times out,
        // the others are refused by the bulkhead; none of that may close the circuit.
        long until = System.nanoTime() + delay.multipliedBy(6).toNanos();
        int halfOpens = 0;
        while (System.nanoTime() < until) {
            concurrently(guard, downstream, 10);
            halfOpens = Collections.frequency(states(), HALF_OPEN);
        }
        assertThat(halfOpens).as("half-open probes were let through").isPositive();
        assertThat(states()).as("transitions while the downstream hangs").doesNotContain(CLOSED);
        assertThat(guard.counters().snapshot().rejections()).isPositive();

        // It recovers: the circuit closes once probes reached it and succeeded, within the delay plus the probes.
        downstream.behave(ANSWER);
        long recovered = System.nanoTime();
        Awaitility.await().atMost(delay.multipliedBy(3).plusSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    concurrently(guard, downstream, 1);
                    return guard.state() == CLOSED;
                });
        long probesAfterRecovery = downstream.reachedAt().stream().filter(at -> at >= recovered).count();
        assertThat(probesAfterRecovery).as("probes that reached the recovered downstream").isGreaterThanOrEqualTo(2);
        assertThat(states().get(states().size() - 1)).isEqualTo(CLOSED);
    }

    @Test
    void aTimedOutAttemptIsCancelledAtItsDeadlineFreesItsSlotAndCountsOnce() {
        Duration timeout = Duration.ofMillis(150);
        DownstreamGuard guard = guard(policy().timeout(timeout).retries(0).bulkhead(1, 1)
                .breaker(100, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(HANG);

        Throwable failure = concurrently(guard, downstream, 1).get(0);

        assertThat(failure).isInstanceOf(TimeoutException.class);
        assertThat(downstream.cancelled()).as("the hung request was cancelled at the deadline").isEqualTo(1);
        downstream.behave(ANSWER);
        assertThat(concurrently(guard, downstream, 1).get(0)).as("the bulkhead's only slot is free again").isNull();
        CallCounters.Snapshot counts = guard.counters().snapshot();
        assertThat(counts.failures()).as("one timeout, counted once").isEqualTo(1);
        assertThat(counts.successes()).isEqualTo(1);
        assertThat(counts.rejections()).isZero();
        assertThat(counts.successes() + counts.failures() + counts.rejections()).isEqualTo(2);
    }

    @Test
    void aQueuedAttemptWhoseCallerGaveUpNeverReachesTheDownstream() {
        DownstreamGuard guard = guard(policy().timeout(Duration.ofMillis(300)).retries(0).bulkhead(1, 5)
                .breaker(100, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(HANG);
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        guard.call(downstream).subscribe().with(item -> first.complete(null), first::complete);
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> downstream.reached() == 1);
        Cancellable queued = guard.call(downstream).subscribe().with(item -> {
        }, failure -> {
        });
        queued.cancel(); // its caller gives up while it waits for the slot

        assertThat(first.orTimeout(5, TimeUnit.SECONDS).join()).isInstanceOf(TimeoutException.class);
        downstream.behave(ANSWER);
        assertThat(concurrently(guard, downstream, 1).get(0)).isNull(); // a later call runs, the abandoned one did not
        assertThat(downstream.reached()).isEqualTo(2);
        CallCounters.Snapshot counts = guard.counters().snapshot();
        assertThat(counts.rejections()).as("the dropped attempt").isEqualTo(1);
        assertThat(counts.successes() + counts.failures() + counts.rejections()).isEqualTo(3);
    }

    @Test
    void anAttemptsDeadlineCountsItsTimeInTheQueue() {
        Duration timeout = Duration.ofMillis(300);
        DownstreamGuard guard = guard(policy().timeout(timeout).retries(0).bulkhead(1, 5)
                .breaker(100, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(HANG);
        // The first call holds the only slot until its deadline; the second waits behind it from the same moment.
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        guard.call(downstream).subscribe().with(item -> first.complete(null), first::complete);
        long queuedAt = System.nanoTime();

        Throwable second = concurrently(guard, downstream, 1).get(0);

        // Its own deadline ran while it queued: it ends about one timeout after it asked (dropped, or cut off soon
        // after it started), never a fresh full timeout after the slot freed (two timeouts).
        assertThat(Duration.ofNanos(System.nanoTime() - queuedAt)).isLessThan(timeout.multipliedBy(2));
        assertThat(second).isInstanceOfAny(BulkheadException.class, TimeoutException.class);
        assertThat(first.orTimeout(5, TimeUnit.SECONDS).join()).isInstanceOf(TimeoutException.class);
        CallCounters.Snapshot counts = guard.counters().snapshot();
        assertThat(counts.successes() + counts.failures() + counts.rejections()).as("each attempt counted once")
                .isEqualTo(2);
    }

    @Test
    void aTooManyRequestsWithRetryAfterIsRetriedAfterThatWaitAndLeavesTheCircuitAlone() {
        DownstreamGuard guard = guard(policy().retries(1).backoff(Duration.ofMillis(10), 2, Duration.ofSeconds(2), 0)
                .breaker(2, 0.5, Duration.ofSeconds(60), 1));
        downstream.behave(TOO_MANY_REQUESTS).retryAfter("1");

        Throwable failure = concurrently(guard, downstream, 1).get(0);

        assertThat(failure).isNotNull();
        assertThat(FailureClassifier.classify(failure)).isEqualTo(FailureClassifier.Outcome.NOT_NOW);
        assertThat(downstream.reached()).isEqualTo(2);
        long waited = downstream.reachedAt().get(1) - downstream.reachedAt().get(0);
        assertThat(Duration.ofNanos(waited)).as("retried after Retry-After, not the 10 ms backoff")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(guard.state()).isEqualTo(CLOSED);
        assertThat(guard.counters().snapshot().failures()).isZero();
        assertThat(FailureClassifier.describe(failure)).isEqualTo("busy: answered 429, retry after 1 s");
    }

    @Test
    void aRetryAfterLongerThanTheRetryMayWaitIsGivenUpAtOnce() {
        DownstreamGuard guard = guard(policy().retries(3).backoff(Duration.ofMillis(10), 2, Duration.ofMillis(500), 0));
        downstream.behave(TOO_MANY_REQUESTS).retryAfter("30");
        assertThat(concurrently(guard, downstream, 1).get(0)).isNotNull();
        assertThat(downstream.reached()).isEqualTo(1);

        FakeDownstream other = new FakeDownstream().behave(SHED).retryAfter("1");
        DownstreamGuard budgeted = guard(policy().retries(3).retryBudget(Duration.ofMillis(500))
                .backoff(Duration.ofMillis(10), 2, Duration.ofSeconds(2), 0));
        assertThat(concurrently(budgeted, other, 1).get(0)).isNotNull();
        assertThat(other.reached()).as("the wait does not fit the call's remaining budget").isEqualTo(1);
    }

    @Test
    void requestTimeoutAndShedAnswersAreRetriedAndNeverOpenTheCircuit() {
        for (FakeDownstream.Behaviour notNow : List.of(REQUEST_TIMEOUT, SHED)) {
            FakeDownstream target = new FakeDownstream().behave(notNow).retryAfter("0");
            DownstreamGuard guard = guard(policy().retries(2).breaker(2, 0.5, Duration.ofSeconds(60), 1));
            assertThat(concurrently(guard, target, 1).get(0)).isNotNull();
            assertThat(target.reached()).as(notNow + " retried").isEqualTo(3);
            assertThat(guard.state()).as(notNow + " is no breaker failure").isEqualTo(CLOSED);
        }
        FakeDownstream unavailable = new FakeDownstream().behave(SHED).retryAfter(null); // a 503 without Retry-After
        DownstreamGuard guard = guard(policy().retries(0).breaker(2, 0.5, Duration.ofSeconds(60), 1));
        concurrently(guard, unavailable, 2);
        assertThat(guard.state()).as("a plain 503 is a technical failure").isEqualTo(OPEN);
    }

    @Test
    void aBusinessClientErrorIsNeverRetried() {
        DownstreamGuard guard = guard(policy().retries(3));
        downstream.behave(FAIL_4XX);
        Throwable failure = concurrently(guard, downstream, 1).get(0);
        assertThat(failure).isInstanceOf(WebApplicationException.class);
        assertThat(downstream.reached()).isEqualTo(1);
    }

    @Test
    void halfOpenLetsThroughAsManyConcurrentProbesAsTheSuccessThreshold() {
        // payment-service's success threshold is 1, user-service's 2 (application.properties)
        for (int probes : new int[] { 1, 2 }) {
            FakeDownstream target = new FakeDownstream().behave(FAIL_5XX);
            Duration delay = Duration.ofMillis(150);
            DownstreamGuard guard = guard(policy().retries(0).timeout(Duration.ofMillis(300))
                    .breaker(2, 1.0, delay, probes).bulkhead(20, 1));
            concurrently(guard, target, 2);
            assertThat(guard.state()).isEqualTo(OPEN);

            target.behave(HANG); // the probes stay in flight while the other callers arrive
            int reachedBefore = target.reached();
            Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> halfOpenIsDue(guard));
            List<Throwable> failures = concurrently(guard, target, 10);

            assertThat(target.reached() - reachedBefore).as("probes reaching the downstream, threshold " + probes)
                    .isEqualTo(probes);
            assertThat(failures.stream().filter(CircuitBreakerOpenException.class::isInstance).count())
                    .as("the rest fail fast as if open").isEqualTo(10 - probes);
        }
    }

    /** SmallRye moves OPEN to HALF_OPEN lazily, on the first call after the delay: whether that delay has passed. */
    private static boolean halfOpenIsDue(DownstreamGuard guard) {
        return guard.lastTransition().plus(guard.policy().circuitBreaker().delay()).isBefore(java.time.Instant.now());
    }
}
