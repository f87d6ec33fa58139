/**
 * The one source of wall time for our own code: inject {@link java.time.Clock}, never call {@code Instant.now()}, so a
 * test can move time instead of waiting for it. Times the database decides (outbox order, recovery cut-off,
 * retention) stay {@code now()} in SQL.
 */
package org.acme.resilience.time;
