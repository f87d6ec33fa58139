package org.acme.resilience.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.resilience.guard.DownstreamGuards;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports each circuit's state under {@code /q/health/ready} but is always UP: an open circuit to a downstream is the
 * service coping with that downstream's failure, not a reason to take this service out of rotation.
 */
@Readiness
@ApplicationScoped
public class CircuitsHealthCheck implements HealthCheck {

    private final DownstreamGuards guards;

    public CircuitsHealthCheck(DownstreamGuards guards) {
        this.guards = guards;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("circuits").up();
        guards.all().forEach(guard -> builder.withData(guard.name(), guard.state().name()));
        return builder.build();
    }
}
