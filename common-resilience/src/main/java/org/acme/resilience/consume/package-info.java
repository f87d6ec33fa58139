/**
 * Consuming from {@code domain_events} without losing or looping: idempotent handling, bounded delayed retries for
 * transient failures, dead-lettering with a reason for what can never be handled, and replay of dead letters.
 */
package org.acme.resilience.consume;
