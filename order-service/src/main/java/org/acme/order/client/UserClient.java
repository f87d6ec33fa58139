package org.acme.order.client;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.messaging.UserStatusFeed;
import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.fallback.CachedFallback;
import org.acme.resilience.guard.DownstreamGuards;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Looks users up in user-service through its guard. A user seen recently is served from cache while user-service
 * fails, but only while {@link UserStatusFeed} can vouch for it: no status change was announced for the user since
 * that answer, and the feed has listened without a gap since it was fetched. A status change evicts the user in every
 * instance. "No such user" (404) is an answer, not a failure: it never trips the breaker and is never cached.
 *
 * <p>Like {@link PaymentClient}, it answers every call with an outcome ({@link Lookup}), never an exception for the
 * downstream's failure, and waits for it on the caller's worker thread: the saga and the jobs read as plain steps.
 */
@ApplicationScoped
public class UserClient {

    /** What a lookup found: the user (and whether from the cache), no such user, or no answer. */
    public sealed interface Lookup {
        record Found(RemoteUser user, boolean fromCache) implements Lookup {
        }

        /** user-service says there is no such user (404): an answer, never cached. */
        record Unknown() implements Lookup {
        }

        /** user-service failed technically, timed out or its circuit is open, and nothing trustworthy is cached. */
        record NoAnswer(String reason) implements Lookup {
        }
    }

    private final UserRestClient users;
    private final CachedFallback<Long, RemoteUser> cache;

    public UserClient(@RestClient UserRestClient users, DownstreamGuards guards, UserStatusFeed statuses,
            Clock clock) {
        this.users = users;
        this.cache = new CachedFallback<>(guards.get(Downstreams.USER_SERVICE), clock,
                (userId, user, fetchedAt) -> statuses.mayTrust(userId, user.statusVersion(), fetchedAt));
        statuses.onChange(cache::evict);
    }

    /**
     * Looks the user up; to be called on a worker thread. Waits at most as long as user-service's policy allows (its
     * timeout per attempt, its retries).
     */
    public Lookup find(long userId) {
        return cache.get(userId, () -> users.get(userId))
                .<Lookup>map(answer -> new Lookup.Found(answer.value(), answer.fromCache()))
                .onFailure(f -> FailureClassifier.clientErrorStatus(f) == 404).recoverWithItem(() -> {
                    cache.evict(userId);
                    return new Lookup.Unknown();
                })
                .onFailure().recoverWithItem(f -> new Lookup.NoAnswer(
                        Downstreams.USER_SERVICE + " " + FailureClassifier.describe(f)))
                .await().indefinitely();
    }
}
