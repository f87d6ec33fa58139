package org.acme.resilience.consume;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.acme.resilience.events.DomainEvent;

/**
 * What one consumer queue does with the events that reach it.
 *
 * @param queue the consumer's queue, {@code <consumer>.<purpose>}; also its idempotency scope
 * @param handlers per event type, the effect; run in a transaction, at most once per event id. A handler throws
 *        {@link org.acme.resilience.events.MalformedEventException} for data it can never handle, anything else for a
 *        failure worth retrying.
 * @param ignored event types that may arrive (the binding pattern covers them) and need nothing; any other type is
 *        dead-lettered as unknown
 */
public record Subscription(String queue, Map<String, Consumer<DomainEvent>> handlers, Set<String> ignored) {
}
