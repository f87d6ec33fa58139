package org.acme.resilience.guard;

import static io.smallrye.faulttolerance.api.CircuitBreakerState.CLOSED;
import static io.smallrye.faulttolerance.api.CircuitBreakerState.HALF_OPEN;
import static io.smallrye.faulttolerance.api.CircuitBreakerState.OPEN;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.ANSWER;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_4XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_5XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.HANG;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.REFUSE_CONNECTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.WebApplicationException;

import org.acme.resilience.observe.CallCounters;
import org.acme.resilience.observe.CircuitTransition;
import org.acme.resilience.policy.DownstreamPolicy;
import org.acme.resilience.testing.FakeDownstream;
import org.acme.resilience.testing.Policies;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;

/**
 * The guard's state machine and strategies, on SmallRye Fault Tolerance itself (standalone) with a fake downstream.
 * Delays are a few hundred milliseconds at most; waits never exceed the configured delay by more than a poll.
 */
class DownstreamGuardTest {

    private final List<CircuitTransition> transitions = Collections.synchronizedList(new ArrayList<>());
    private final FakeDownstream downstream = new FakeDownstream();

    private DownstreamGuard guard(Policies policy) {
        return new DownstreamGuard(policy.build(), Clock.systemUTC(), transitions::add);
    }

    private static Policies policy() {
        return Policies.policy("flaky-" + UUID.randomUUID());
    }

    private static Throwable failureOf(DownstreamGuard guard, FakeDownstream downstream) {
        try {
            guard.call(downstream).await().atMost(Duration.ofSeconds(5));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private List<CircuitBreakerState> states() {
        return transitions.stream().map(CircuitTransition::to).toList();
    }

    @Test
    void opensAfterTheConfiguredFailuresAndThenRejectsWithoutCallingTheDownstream() {
        DownstreamGuard guard = guard(policy().breaker(4, 0.5, Duration.ofSeconds(60), 1));
        downstream.behave(ANSWER);
        failureOf(guard, downstream);
        failureOf(guard, downstream);
        downstream.behave(FAIL_5XX);
        failureOf(guard, downstream);
        assertThat(guard.state()).isEqualTo(CLOSED); // 1 failure in 3 calls: the window is not full yet
        failureOf(guard, downstream);
        assertThat(guard.state()).isEqualTo(OPEN); // 2 of the last 4 calls failed: ratio 0.5 reached

        int reachedBefore = downstream.reached();
        assertThat(failureOf(guard, downstream)).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(downstream.reached()).isEqualTo(reachedBefore);
        assertThat(guard.counters().snapshot().rejections()).isEqualTo(1);
        assertThat(states()).containsExactly(OPEN);
        assertThat(transitions.get(0).eventType()).isEqualTo("resilience.circuit.opened");
        assertThat(transitions.get(0).reason()).contains("failure ratio reached 0.5");
    }

    @Test
    void anOpenCircuitRefusesWithoutFillingInAStackTraceAndCountsOneRejection() {
        DownstreamGuard guard = guard(policy().breaker(1, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(FAIL_5XX);
        failureOf(guard, downstream);
        assertThat(guard.state()).isEqualTo(OPEN);
        int reachedBefore = downstream.reached();

        Throwable refusal = failureOf(guard, downstream);

        assertThat(refusal).isInstanceOf(CircuitBreakerOpenException.class).hasMessageContaining("circuit is open");
        assertThat(refusal.getStackTrace()).isEmpty();
        assertThat(downstream.reached()).isEqualTo(reachedBefore);
        assertThat(guard.counters().snapshot().rejections()).isEqualTo(1);
        assertThat(guard.counters().snapshot().calls()).isEqualTo(2);
    }

    @Test
    void goesHalfOpenAfterTheDelayAndClosesAfterTheConfiguredProbes() {
        Duration delay = Duration.ofMillis(150);
        DownstreamGuard guard = guard(policy().breaker(2, 1.0, delay, 2));
        downstream.behave(REFUSE_CONNECTION);
        failureOf(guard, downstream);
        failureOf(guard, downstream);
        assertThat(guard.state()).isEqualTo(OPEN);

        downstream.behave(ANSWER);
        Awaitility.await().pollDelay(delay).atMost(delay.multipliedBy(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> failureOf(guard, downstream) == null);
        assertThat(guard.state()).isEqualTo(HALF_OPEN); // one probe succeeded, two are needed
        assertThat(failureOf(guard, downstream)).isNull();
        assertThat(guard.state()).isEqualTo(CLOSED);
        assertThat(states()).containsExactly(OPEN, HALF_OPEN, CLOSED);
        assertThat(transitions.get(2).reason()).isEqualTo("2 probe call(s) succeeded");
    }

    @Test
    void reopensWhenAProbeFails() {
        Duration delay = Duration.ofMillis(150);
        DownstreamGuard guard = guard(policy().breaker(2, 1.0, delay, 2));
        downstream.behave(FAIL_5XX);
        failureOf(guard, downstream);
        failureOf(guard, downstream);

        Awaitility.await().pollDelay(delay).atMost(delay.multipliedBy(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> !(failureOf(guard, downstream) instanceof CircuitBreakerOpenException));
        assertThat(guard.state()).isEqualTo(OPEN);
        assertThat(states()).containsExactly(OPEN, HALF_OPEN, OPEN);
        assertThat(transitions.get(2).reason()).isEqualTo("a probe call failed while half-open");
    }

    /**
     * The chaos harness read a {@code CLOSED -> OPEN} event right after a {@code HALF_OPEN} one: two threads had moved
     * the circuit one after the other and announced it the other way round. Here a clock that stalls widens the gap
     * between a transition and its announcement, and many threads flip the circuit: the announced chain must still be
     * unbroken, each transition starting where the one before it ended, and end where the circuit is.
     */
    @Test
    void transitionsAreAnnouncedInTheOrderTheyHappenedWhateverThreadMadeThem() throws Exception {
        Clock stalling = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                java.util.concurrent.locks.LockSupport.parkNanos(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(2_000_000));
                return java.time.Instant.now();
            }
        };
        DownstreamGuard guard = new DownstreamGuard(
                policy().breaker(2, 0.5, Duration.ofMillis(1), 1).bulkhead(64, 64).build(), stalling,
                transitions::add);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch done = new CountDownLatch(8);
            for (int t = 0; t < 8; t++) {
                callers.execute(() -> {
                    for (int i = 0; i < 400; i++) {
                        boolean fail = java.util.concurrent.ThreadLocalRandom.current().nextBoolean();
                        try {
                            guard.call(() -> fail ? Uni.createFrom().<String>failure(
                                    new java.net.ConnectException("refused")) : Uni.createFrom().item("ok"))
                                    .await().atMost(Duration.ofSeconds(5));
                        } catch (RuntimeException expected) {
                            // failures and rejections are the point here
                        }
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(2, TimeUnit.MINUTES)).isTrue();
        } finally {
            callers.shutdownNow();
        }
        // a callback can still be on its way when the last caller has its answer
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                transitions.get(transitions.size() - 1).to()).isEqualTo(guard.state()));
        List<CircuitTransition> announced = List.copyOf(transitions);
        assertThat(announced).hasSizeGreaterThan(10);
        CircuitBreakerState at = CLOSED;
        for (CircuitTransition transition : announced) {
            assertThat(transition.from()).as("transition %s after %s", transition, at).isEqualTo(at);
            at = transition.to();
        }
    }

    @Test
    void anOperatorResetClosesTheCircuitAndIsAnnounced() {
        DownstreamGuard guard = guard(policy().breaker(1, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(FAIL_5XX);
        failureOf(guard, downstream);
        assertThat(guard.state()).isEqualTo(OPEN);

        guard.reset();

        assertThat(guard.state()).isEqualTo(CLOSED);
        assertThat(transitions).extracting(CircuitTransition::from, CircuitTransition::to, CircuitTransition::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CLOSED, OPEN,
                        "failure ratio reached 1.0 over the last 1 calls"),
                        org.assertj.core.groups.Tuple.tuple(OPEN, CLOSED, "reset by operator"));
        downstream.behave(ANSWER);
        assertThat(failureOf(guard, downstream)).isNull();
    }

    @Test
    void retriesTechnicalFailuresTheConfiguredNumberOfTimes() {
        DownstreamGuard guard = guard(policy().retries(3).breaker(100, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(FAIL_5XX);

        assertThat(failureOf(guard, downstream)).isInstanceOf(WebApplicationException.class);
        assertThat(downstream.reached()).isEqualTo(4);
        CallCounters.Snapshot counts = guard.counters().snapshot();
        assertThat(counts.calls()).isEqualTo(1);
        assertThat(counts.retries()).isEqualTo(3);
        assertThat(counts.failures()).isEqualTo(4);
    }

    @Test
    void aClientErrorIsNeitherRetriedNorCountedAgainstTheCircuit() {
        DownstreamGuard guard = guard(policy().retries(3).breaker(2, 0.5, Duration.ofSeconds(60), 1));
        downstream.behave(FAIL_4XX);

        for (int i = 0; i < 10; i++) {
            Throwable failure = failureOf(guard, downstream);
            assertThat(failure).isInstanceOf(WebApplicationException.class);
            assertThat(((WebApplicationException) failure).getResponse().getStatus()).isEqualTo(404);
        }
        assertThat(downstream.reached()).isEqualTo(10);
        assertThat(guard.state()).isEqualTo(CLOSED);
        assertThat(guard.counters().snapshot().retries()).isZero();
        assertThat(guard.counters().snapshot().failures()).isZero();
    }

    @Test
    void anOpenCircuitIsNotRetried() {
        DownstreamGuard guard = guard(policy().retries(5).breaker(2, 1.0, Duration.ofSeconds(60), 1));
        downstream.behave(FAIL_5XX);
        // attempts 1 and 2 fail and open the circuit; attempt 3 is refused and ends the retries
        assertThat(failureOf(guard, downstream)).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(downstream.reached()).isEqualTo(2);
        assertThat(guard.counters().snapshot().retries()).isEqualTo(2);
    }

    @Test
    void anAttemptThatTakesLongerThanTheTimeoutFails() {
        Duration timeout = Duration.ofMillis(200);
        DownstreamGuard guard = guard(policy().timeout(timeout));
        downstream.behave(HANG);

        long start = System.nanoTime();
        assertThat(failureOf(guard, downstream)).isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
        assertThat(guard.counters().snapshot().failures()).isEqualTo(1);
    }

    @Test
    void theBulkheadRejectsCallsBeyondItsLimitAndQueue() {
        DownstreamGuard guard = guard(policy().bulkhead(2, 1).timeout(Duration.ofSeconds(30)));
        downstream.behave(HANG);
        for (int i = 0; i < 3; i++) {
            guard.call(downstream).subscribe().with(item -> {
            }, failure -> {
            }); // two run, one waits
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> downstream.reached() == 2);

        assertThatThrownBy(() -> guard.call(downstream).await().atMost(Duration.ofSeconds(2)))
                .isInstanceOf(BulkheadException.class);
        assertThat(downstream.reached()).isEqualTo(2);
        assertThat(guard.counters().snapshot().rejections()).isEqualTo(1);
        assertThat(guard.state()).isEqualTo(CLOSED); // our own rejection is not the downstream's failure
    }

    @Test
    void countsAndStateStayConsistentUnderConcurrentCalls() throws Exception {
        DownstreamGuard guard = guard(policy().breaker(20, 0.5, Duration.ofSeconds(60), 1).bulkhead(64, 64));
        int threads = 16;
        int callsPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        FakeDownstream healthy = new FakeDownstream().behave(ANSWER);
        FakeDownstream failing = new FakeDownstream().behave(FAIL_5XX);
        for (int t = 0; t < threads; t++) {
            FakeDownstream target = t % 2 == 0 ? healthy : failing;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < callsPerThread; i++) {
                    failureOf(guard, target);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        CallCounters.Snapshot counts = guard.counters().snapshot();
        assertThat(counts.calls()).isEqualTo((long) threads * callsPerThread);
        assertThat(counts.successes() + counts.failures() + counts.rejections()).isEqualTo(counts.calls());
        assertThat(counts.successes()).isEqualTo(healthy.reached());
        assertThat(counts.failures()).isEqualTo(failing.reached());
        assertThat(guard.state()).isEqualTo(OPEN);
        assertThat(states()).containsExactly(OPEN); // one transition, however many threads saw the ratio reached
    }

    @Test
    void theGuardAcceptsAnyUniOfTheRightType() {
        DownstreamGuard guard = guard(policy());
        Uni<Integer> answer = guard.call(() -> Uni.createFrom().item(42));
        assertThat(answer.await().atMost(Duration.ofSeconds(1))).isEqualTo(42);
        DownstreamPolicy policy = guard.policy();
        assertThat(guard.name()).isEqualTo(policy.name());
    }
}
