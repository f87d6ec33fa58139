package org.acme.resilience.topology;

import java.util.List;

/**
 * A consumer's durable queue on {@code domain_events}, named {@code <consumer>.<purpose>}.
 *
 * @param name the queue
 * @param bindings the routing-key patterns it is bound to {@code domain_events} with
 */
public record ConsumerQueue(String name, List<String> bindings) {

    public ConsumerQueue {
        bindings = List.copyOf(bindings);
    }

    /** Its dead-letter queue, {@code <queue>.dlq}, bound to the dead-letter exchange with the queue's name. */
    public String deadLetterQueue() {
        return Topology.dlq(name);
    }

    /** The same queue with a suffix on its name (tests use {@code .test}, so they never take a running service's). */
    public ConsumerQueue withSuffix(String suffix) {
        return suffix.isEmpty() ? this : new ConsumerQueue(name + suffix, bindings);
    }
}
