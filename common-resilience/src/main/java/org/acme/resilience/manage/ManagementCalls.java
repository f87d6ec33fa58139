package org.acme.resilience.manage;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.acme.resilience.classify.FailureClassifier;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.policy.ResilienceConfig;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.smallrye.stork.Stork;
import io.smallrye.stork.api.ServiceInstance;

/**
 * Calls that watch or steer other services (their circuits, their fault injection) rather than use them. They reach
 * <em>every</em> instance that discovery knows for a service, through the same Stork service as the business calls,
 * each call under a SmallRye Fault Tolerance guard of its own: a timeout and a bulkhead per service
 * ({@code resilience.management.*}).
 *
 * <p>They deliberately do not go through the downstream's {@link org.acme.resilience.guard.DownstreamGuard}:
 * <ul>
 * <li>a dashboard polling a healthy management endpoint every second would add successes to the very breaker it
 * displays, and keep a failing business API's circuit from opening;</li>
 * <li>an operator switching a fault off must reach the service while its business circuit is open, not after the
 * breaker's delay;</li>
 * <li>a card must show the live truth, so there is no retry (the next poll is the retry) and no cached fallback: an
 * instance that does not answer in time is reported as unreachable, with the reason.</li>
 * </ul>
 */
@ApplicationScoped
public class ManagementCalls {

    /**
     * What one instance answered: a value, or the failure that stood in its way. {@code instance} ({@code host:port})
     * is null when discovery itself failed, before any instance was known.
     */
    public record Answer<T>(String instance, T value, Throwable failure) {

        public boolean answered() {
            return failure == null;
        }

        /** Why the instance gave no answer, safe to show to a person; {@code null} when it answered. */
        public String problem() {
            return failure == null ? null : FailureClassifier.describe(failure);
        }
    }

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final ResilienceConfig.Management config;
    private final DownstreamGuards downstreams;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, Object> clients = new ConcurrentHashMap<>();

    public ManagementCalls(ResilienceConfig config, DownstreamGuards downstreams) {
        this.config = config.management();
        this.downstreams = downstreams;
    }

    /**
     * Calls {@code call} on the {@code api} of every instance of {@code service} that discovery knows, in parallel.
     * Never fails: an instance that does not answer is an {@link Answer} with its failure, a failed discovery one
     * answer without an instance, and no instance at all an empty list. Only services listed under
     * {@code resilience.downstream} can be called, as for business calls.
     */
    public <A, T> Uni<List<Answer<T>>> onEveryInstance(String service, Class<A> api, Function<A, Uni<T>> call) {
        downstreams.get(service); // fails for a service with no resilience.downstream policy
        Guard guard = guards.computeIfAbsent(service, this::guard);
        return Stork.getInstance().getService(service).getInstances()
                .onItemOrFailure().transformToUni((instances, discoveryFailure) -> {
                    if (discoveryFailure != null) {
                        return Uni.createFrom().item(List.of(new Answer<T>(null, null, discoveryFailure)));
                    }
                    if (instances.isEmpty()) {
                        return Uni.createFrom().item(List.<Answer<T>> of());
                    }
                    return Uni.join().all(instances.stream()
                            .map(instance -> ask(guard, instance, client(instance, api), call))
                            .toList())
                            .andFailFast();
                });
    }

    @SuppressWarnings("unchecked")
    private <A, T> Uni<Answer<T>> ask(Guard guard, ServiceInstance instance, A client, Function<A, Uni<T>> call) {
        String address = address(instance);
        Uni<T> answer = (Uni<T>) guard.get(() -> (Uni<Object>) call.apply(client), UNI);
        return answer.map(value -> new Answer<>(address, value, null))
                .onFailure().recoverWithItem(failure -> new Answer<>(address, null, failure));
    }

    private Guard guard(String service) {
        return Guard.create()
                .withDescription("management of " + service)
                .withThreadOffload(false)
                .withTimeout()
                    .duration(config.timeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withBulkhead()
                    .limit(config.maxConcurrent())
                    .queueSize(4 * config.maxConcurrent())
                    .done()
                .build();
    }

    private <A> A client(ServiceInstance instance, Class<A> api) {
        URI base = URI.create((instance.isSecure() ? "https://" : "http://") + address(instance));
        return api.cast(clients.computeIfAbsent(api.getName() + " " + base, key -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(api)));
    }

    private static String address(ServiceInstance instance) {
        return instance.getHost() + ":" + instance.getPort();
    }
}
