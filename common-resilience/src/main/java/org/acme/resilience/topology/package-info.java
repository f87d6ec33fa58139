/**
 * The one description of what lives on the broker for {@code domain_events} (exchanges, consumer queues, their
 * bindings and arguments) and the code that applies it, so that every declarer (outbox relay, consumers, the
 * dashboard, test taps) declares the same thing and none fails on another's arguments.
 */
package org.acme.resilience.topology;
