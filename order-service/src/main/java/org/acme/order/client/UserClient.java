package org.acme.order.client;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.order.messaging.UserStatusFeed;
import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.fallback.CachedFallback;
import org.acme.resilience.guard.DownstreamGuards;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.mutiny.Uni;

/**
 * Looks users up in user-service through its guard. A user seen recently is served from cache while user-service
 * fails, but only while {@link UserStatusFeed} can vouch for it: no status change was announced for the user since
 * that answer, and the feed has listened without a gap since it was fetched. A status change evicts the user in every
 * instance. "No such user" (404) is an answer, not a failure: it never trips the breaker and is never cached.
 */
@ApplicationScoped
public class UserClient {

    /** A found user, and whether the answer came from the cache because user-service was failing. */
    public record Lookup(RemoteUser user, boolean fromCache) {
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
     * @return the user, or empty when user-service says there is no such user
     * @throws DownstreamUnavailableException (as the Uni's failure) when user-service fails and nothing is cached
     */
    public Uni<Optional<Lookup>> find(long userId) {
        return cache.get(userId, () -> users.get(userId))
                .map(answer -> Optional.of(new Lookup(answer.value(), answer.fromCache())))
                .onFailure(f -> FailureClassifier.clientErrorStatus(f) == 404).recoverWithItem(() -> {
                    cache.evict(userId);
                    return Optional.empty();
                })
                .onFailure(f -> !(f instanceof DownstreamUnavailableException))
                .transform(f -> new DownstreamUnavailableException(Downstreams.USER_SERVICE, f));
    }
}
