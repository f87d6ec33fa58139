package org.acme.resilience.schema;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.acme.resilience.problem.ProblemMappers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The service's tables, migrated (Flyway) and checked against its entities (Hibernate) when the service starts or, if
 * the database cannot be reached then, as soon as it can. Until then the service runs, is not ready
 * ({@link DatabaseSchemaHealthCheck}) and refuses requests with a 503 ({@link SchemaGate}): a service that exits
 * because its database was away at its start stays down after the database is back, since nothing starts it again.
 * A migration or a mapping that is wrong still stops the start. Once the schema is in place, {@link SchemaReady} is
 * fired for work that needs the tables.
 */
@ApplicationScoped
public class DatabaseSchema {

    private static final Logger LOG = Logger.getLogger(DatabaseSchema.class);

    private final Flyway flyway;
    private final SessionFactory sessionFactory;
    private final Event<SchemaReady> schemaReady;
    private final Duration retryInterval;
    private volatile boolean applied;
    private volatile String waitingFor = "not applied yet";

    public DatabaseSchema(Flyway flyway, SessionFactory sessionFactory, Event<SchemaReady> schemaReady,
            @ConfigProperty(name = "persistence.schema.retry-interval") Duration retryInterval) {
        this.flyway = flyway;
        this.sessionFactory = sessionFactory;
        this.schemaReady = schemaReady;
        this.retryInterval = retryInterval;
    }

    /** Before anything else that starts (the broker topology, the consumers, the recovery passes). */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 200) StartupEvent start) {
        apply();
    }

    @Scheduled(every = "${persistence.schema.retry-interval}", delayed = "${persistence.schema.retry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void retry() {
        if (!applied) {
            apply();
        }
    }

    /** Migrates and validates unless done; false while the database cannot be reached. */
    synchronized boolean apply() {
        if (applied) {
            return true;
        }
        try {
            flyway.migrate();
            sessionFactory.getSchemaManager().validateMappedObjects();
        } catch (RuntimeException e) {
            if (!ProblemMappers.databaseUnreachable(e)) {
                throw e; // a wrong migration or mapping is not something to wait out
            }
            waitingFor = "database unreachable: " + e.getMessage();
            LOG.warnf("Database schema not applied yet, the database is unreachable (retried every %s): %s",
                    retryInterval, e.getMessage());
            return false;
        }
        applied = true;
        LOG.info("Database schema migrated and validated");
        schemaReady.fire(new SchemaReady());
        return true;
    }

    public boolean applied() {
        return applied;
    }

    /** Why the schema is not in place yet, or that it is. */
    public String state() {
        return applied ? "migrated and validated" : waitingFor;
    }
}
