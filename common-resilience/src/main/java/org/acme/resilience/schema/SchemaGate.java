package org.acme.resilience.schema;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.acme.resilience.problem.ProblemMappers;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Until {@link DatabaseSchema} has put the tables in place, every request gets the 503 with {@code Retry-After} of a
 * database outage: the database may already answer while the migration has not run yet, and a missing table must not
 * become a 500. Health, metrics and the other {@code /q} endpoints are not REST resources and stay served.
 */
public class SchemaGate {

    private final DatabaseSchema schema;

    public SchemaGate(DatabaseSchema schema) {
        this.schema = schema;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseUntilTheSchemaIsInPlace() {
        return schema.applied() ? Optional.empty()
                : Optional.of(ProblemMappers.databaseUnavailable("the service's database is not reachable yet; try "
                        + "again"));
    }
}
