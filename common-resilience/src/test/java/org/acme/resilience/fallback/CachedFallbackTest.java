package org.acme.resilience.fallback;

import static org.acme.resilience.testing.FakeDownstream.Behaviour.ANSWER;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_4XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.FAIL_5XX;
import static org.acme.resilience.testing.FakeDownstream.Behaviour.REFUSE_CONNECTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.TestGuards;
import org.acme.resilience.testing.FakeDownstream;
import org.acme.resilience.testing.Policies;
import org.junit.jupiter.api.Test;

class CachedFallbackTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final FakeDownstream downstream = new FakeDownstream();
    private final DownstreamGuard guard = TestGuards.of(Policies.policy("cached-" + UUID.randomUUID())
            .breaker(100, 1.0, Duration.ofSeconds(60), 1).cacheTtl(Duration.ofMinutes(5)));
    private final CachedFallback<String, String> cache = new CachedFallback<>(guard, clock);

    private CachedFallback.Answer<String> get() {
        return cache.get("alice", downstream).await().atMost(Duration.ofSeconds(2));
    }

    @Test
    void aFreshAnswerIsServedAndRemembered() {
        downstream.behave(ANSWER);
        CachedFallback.Answer<String> answer = get();
        assertThat(answer.value()).isEqualTo("ok");
        assertThat(answer.fromCache()).isFalse();
    }

    @Test
    void theLastKnownGoodAnswerStandsInWithinItsTtl() {
        downstream.behave(ANSWER);
        get();
        clock.advance(Duration.ofMinutes(4));
        downstream.behave(REFUSE_CONNECTION);

        CachedFallback.Answer<String> answer = get();

        assertThat(answer.value()).isEqualTo("ok");
        assertThat(answer.fromCache()).isTrue();
        assertThat(answer.fetchedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(guard.counters().snapshot().fallbacks()).isEqualTo(1);
    }

    @Test
    void theCacheAlsoStandsInWhileTheCircuitIsOpen() {
        DownstreamGuard sensitive = TestGuards.of(Policies.policy("cached-" + UUID.randomUUID())
                .breaker(1, 1.0, Duration.ofSeconds(60), 1));
        CachedFallback<String, String> users = new CachedFallback<>(sensitive, clock);
        downstream.behave(ANSWER);
        users.get("alice", downstream).await().atMost(Duration.ofSeconds(2));
        downstream.behave(FAIL_5XX);
        users.get("alice", downstream).await().atMost(Duration.ofSeconds(2)); // fails, opens the circuit
        int reached = downstream.reached();

        CachedFallback.Answer<String> answer = users.get("alice", downstream).await().atMost(Duration.ofSeconds(2));

        assertThat(sensitive.state()).isEqualTo(io.smallrye.faulttolerance.api.CircuitBreakerState.OPEN);
        assertThat(downstream.reached()).isEqualTo(reached);
        assertThat(answer.fromCache()).isTrue();
    }

    @Test
    void anExpiredAnswerIsNotServed() {
        downstream.behave(ANSWER);
        get();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        downstream.behave(FAIL_5XX);

        assertThatThrownBy(this::get).isInstanceOf(WebApplicationException.class);
        assertThat(guard.counters().snapshot().fallbacks()).isZero();
    }

    @Test
    void nothingCachedMeansTheFailureGoesToTheCaller() {
        downstream.behave(REFUSE_CONNECTION);
        assertThatThrownBy(this::get).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void aBusinessAnswerIsNeverReplacedByTheCache() {
        downstream.behave(ANSWER);
        get();
        downstream.behave(FAIL_4XX);

        assertThatThrownBy(this::get).isInstanceOf(WebApplicationException.class)
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(404));
    }

    /** A clock the test moves forward by hand, so TTL tests need no sleeping. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void anEntryTheServicesFreshnessRuleRefusesIsNotServedAndTheFailureGoesToTheCaller() {
        java.util.Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CachedFallback<String, String> judged = new CachedFallback<>(guard, clock,
                (key, value, fetchedAt) -> !stale.contains(key));
        downstream.behave(ANSWER);
        judged.get("alice", downstream).await().atMost(Duration.ofSeconds(2));
        judged.get("bob", downstream).await().atMost(Duration.ofSeconds(2));
        downstream.behave(REFUSE_CONNECTION);
        stale.add("alice"); // e.g. a newer status was announced for alice after her answer was fetched

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> judged.get("alice", downstream).await().atMost(Duration.ofSeconds(2)))
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        assertThat(judged.get("bob", downstream).await().atMost(Duration.ofSeconds(2)).fromCache()).isTrue();
    }
}
