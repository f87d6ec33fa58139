package org.acme.resilience.schema;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness check {@code database schema}: DOWN until {@link DatabaseSchema} has put the tables in place. */
@Readiness
@ApplicationScoped
public class DatabaseSchemaHealthCheck implements HealthCheck {

    private final DatabaseSchema schema;

    public DatabaseSchemaHealthCheck(DatabaseSchema schema) {
        this.schema = schema;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("database schema").status(schema.applied())
                .withData("schema", schema.state()).build();
    }
}
