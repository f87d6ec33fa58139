/**
 * The event envelope (CloudEvents 1.0, structured JSON) shared by every producer and consumer on the
 * {@code domain_events} exchange, and idempotent consumption keyed by the event id.
 */
package org.acme.resilience.events;
