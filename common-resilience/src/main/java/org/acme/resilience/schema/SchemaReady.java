package org.acme.resilience.schema;

/**
 * Fired once, when {@link DatabaseSchema} has migrated and validated the service's tables: at the start, or later if
 * the database was unreachable then. Work that needs the tables at the start observes this, not {@code StartupEvent}.
 */
public record SchemaReady() {
}
