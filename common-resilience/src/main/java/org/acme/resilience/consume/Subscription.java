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
 *        {@link org.acme.resilience.events.MalformedEventException} for data it can never handle (dead-lettered at
 *        once), anything else for a transient failure (retried through the queue's ladder of delay queues).
 * @param ignored event types that may arrive (the binding pattern covers them) and need nothing; any other type is
 *        acknowledged and counted as unknown ({@code events_unknown_type_total})
 */
public record Subscription(String queue, Map<String, Consumer<DomainEvent>> handlers, Set<String> ignored) {
}
