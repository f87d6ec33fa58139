package org.acme.resilience.fallback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.guard.DownstreamGuard;

import io.smallrye.mutiny.Uni;

/**
 * Last-known-good answers for a read, served while the downstream cannot answer (it fails technically, or its circuit
 * is open or its bulkhead full), for at most {@code ttl} after they were fetched, and only while the service's
 * {@link Freshness} rule allows it. A business answer (4xx) is never replaced by a cached one, and an expired or
 * refused entry is never served: then the technical failure goes to the caller.
 *
 * <p>The cache decides nothing about the domain: what may still be trusted of an old answer is the service's
 * knowledge (e.g. "no newer status event was seen for this user"), handed to it as the rule.
 *
 * @param <K> key of the read, e.g. a user id
 * @param <V> the answer
 */
public final class CachedFallback<K, V> {

    private final DownstreamGuard guard;
    private final Duration ttl;
    private final Clock clock;
    private final Freshness<K, V> freshness;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    /** Whether a remembered answer may still stand in, as the service that owns the data knows it. */
    @FunctionalInterface
    public interface Freshness<K, V> {
        /** Any answer within the ttl may stand in. */
        static <K, V> Freshness<K, V> withinTtl() {
            return (key, value, fetchedAt) -> true;
        }

        boolean mayServe(K key, V value, Instant fetchedAt);
    }

    public CachedFallback(DownstreamGuard guard, Clock clock) {
        this(guard, clock, Freshness.withinTtl());
    }

    public CachedFallback(DownstreamGuard guard, Clock clock, Freshness<K, V> freshness) {
        this(guard, guard.policy().fallback().cacheTtl(), clock, freshness);
    }

    CachedFallback(DownstreamGuard guard, Duration ttl, Clock clock, Freshness<K, V> freshness) {
        this.guard = guard;
        this.ttl = ttl;
        this.clock = clock;
        this.freshness = freshness;
    }

    /** Calls the downstream through its guard; remembers a fresh answer, falls back to a remembered one. */
    public Uni<Answer<V>> get(K key, Supplier<Uni<V>> read) {
        return guard.call(read)
                .onItem().transform(value -> {
                    entries.put(key, new Entry<>(value, clock.instant()));
                    return new Answer<>(value, false, null);
                })
                .onFailure(CachedFallback::downstreamCouldNotAnswer).recoverWithUni(failure -> cached(key)
                        .map(entry -> {
                            guard.counters().fallback();
                            return Uni.createFrom().item(new Answer<>(entry.value(), true, entry.fetchedAt()));
                        })
                        .orElseGet(() -> Uni.createFrom().failure(failure)));
    }

    /** Failed technically, or was not even asked (circuit open, bulkhead full): a case for the cache. */
    private static boolean downstreamCouldNotAnswer(Throwable failure) {
        return FailureClassifier.classify(failure) != FailureClassifier.Outcome.BUSINESS;
    }

    /** Forgets what is known about {@code key}, e.g. after the downstream said it does not exist. */
    public void evict(K key) {
        entries.remove(key);
    }

    private Optional<Entry<V>> cached(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (Duration.between(entry.fetchedAt(), clock.instant()).compareTo(ttl) > 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return freshness.mayServe(key, entry.value(), entry.fetchedAt()) ? Optional.of(entry) : Optional.empty();
    }

    private record Entry<V>(V value, Instant fetchedAt) {
    }

    /**
     * @param fromCache whether the downstream failed and this is the last known good answer
     * @param fetchedAt when a cached answer was fetched; {@code null} for a fresh one
     */
    public record Answer<V>(V value, boolean fromCache, Instant fetchedAt) {
    }
}
