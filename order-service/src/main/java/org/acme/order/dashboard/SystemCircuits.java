package org.acme.order.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.guard.DownstreamGuard;
import org.acme.resilience.guard.DownstreamGuards;
import org.acme.resilience.manage.CircuitsApi;
import org.acme.resilience.manage.ManagementCalls;
import org.acme.resilience.observe.CircuitView;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;

/**
 * The circuits of every service: this instance's own, and those of every instance of each service it calls, found
 * through the same discovery as its business calls and read from their {@code /resilience/circuits}. Remote answers
 * are shared for a quarter of a second, so any number of open dashboards cost each instance at most four reads a
 * second, and a page polling every second still shows a change within about a second.
 */
@ApplicationScoped
public class SystemCircuits {

    /**
     * The circuits of one instance of a service; {@code reachable} is false, with the reason in {@code problem}, when it
     * did not answer, or when discovery knows no instance of it ({@code instance} is then null).
     */
    public record ServiceCircuits(String service, String instance, boolean reachable, String problem,
            List<?> circuits) {
    }

    private static final Duration SHARED_FOR = Duration.ofMillis(250);

    private final DownstreamGuards guards;
    private final String self;
    private final Uni<List<ServiceCircuits>> remote;

    public SystemCircuits(DownstreamGuards guards, ManagementCalls management,
            @ConfigProperty(name = "quarkus.application.name") String self) {
        this.guards = guards;
        this.self = self;
        List<Uni<List<ServiceCircuits>>> services = guards.all().stream().map(DownstreamGuard::name)
                .map(service -> read(management, service)).toList();
        this.remote = Uni.join().all(services).andFailFast()
                .<List<ServiceCircuits>> map(lists -> lists.stream().flatMap(List::stream).toList())
                .memoize().atLeast(SHARED_FOR);
    }

    /** This instance first, then every instance of the services it calls, in the order of their names. */
    public Uni<List<ServiceCircuits>> all() {
        ServiceCircuits own = new ServiceCircuits(self, "this instance", true, null,
                guards.all().stream().map(CircuitView::of).toList());
        return remote.map(others -> {
            List<ServiceCircuits> all = new ArrayList<>(others.size() + 1);
            all.add(own);
            all.addAll(others);
            return all;
        });
    }

    private static Uni<List<ServiceCircuits>> read(ManagementCalls management, String service) {
        return Uni.createFrom().deferred(() -> management.onEveryInstance(service, CircuitsApi.class,
                CircuitsApi::circuits))
                .map(answers -> answers.isEmpty()
                        ? List.of(new ServiceCircuits(service, null, false, "no instance found in discovery", List.of()))
                        : answers.stream().map(answer -> new ServiceCircuits(service, answer.instance(),
                                answer.answered(), answer.problem(), answer.answered() ? answer.value() : List.of()))
                                .toList());
    }
}
