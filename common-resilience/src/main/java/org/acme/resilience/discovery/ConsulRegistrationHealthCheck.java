package org.acme.resilience.discovery;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says whether this instance is registered in Consul, without making the service unready when it is not: a service
 * that serves without Consul is still ready, and Consul's own check calls this endpoint.
 */
@Readiness
@ApplicationScoped
public class ConsulRegistrationHealthCheck implements HealthCheck {

    private final ConsulRegistration registration;
    private final DiscoveryConfig config;

    public ConsulRegistrationHealthCheck(ConsulRegistration registration, DiscoveryConfig config) {
        this.registration = registration;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("discovery").up().withData("type", config.type());
        if (registration.enabled()) {
            builder.withData("consul", config.consul().host() + ":" + config.consul().port())
                    .withData("registered", registration.registered());
        }
        return builder.build();
    }
}
