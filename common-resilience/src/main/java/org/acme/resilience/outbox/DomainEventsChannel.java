package org.acme.resilience.outbox;

/** Names of the messaging channels bound to the {@code domain_events} exchange. */
public final class DomainEventsChannel {

    /** The outgoing channel the outbox relay publishes to; configured onto the {@code domain_events} exchange. */
    public static final String OUTGOING = "domain-events-out";

    private DomainEventsChannel() {
    }
}
