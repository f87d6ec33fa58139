/**
 * Transactional outbox: events are written in the same database transaction as the state change they announce and
 * relayed to the {@code domain_events} exchange with publisher confirms, so no event is lost while RabbitMQ is away
 * and none is published for a change that rolled back.
 */
package org.acme.resilience.outbox;
