package org.acme.resilience.topology;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;

/**
 * A watcher's own queue on {@code domain_events}: a dashboard page for as long as it watches, or an instance hearing
 * a broadcast (order-service's user-status evictions). The exception to durable quorum consumer queues. Exclusive and auto-delete, so it goes with its connection or consumer; classic,
 * since quorum queues cannot be exclusive; and bounded, so a watcher that stops reading costs the broker at most
 * {@code maxLength} messages: beyond that the oldest are dropped ({@code x-overflow: drop-head}), as a live view
 * wants, instead of refusing publishers ({@code reject-publish} would hold up the outbox relay's confirms).
 *
 * @param prefix the name before the random part, {@code <consumer>.<purpose>}, e.g. {@code order-service.dashboard}
 * @param bindings the routing-key patterns it is bound to {@code domain_events} with
 * @param maxLength the most messages it holds
 */
public record WatcherQueue(String prefix, List<String> bindings, int maxLength) {

    public WatcherQueue {
        bindings = List.copyOf(bindings);
        if (maxLength < 1) {
            throw new IllegalArgumentException("a watcher queue holds at least one message, not " + maxLength);
        }
    }

    /** Its arguments: classic, at most {@code maxLength} messages, the oldest dropped first. */
    public Map<String, Object> arguments() {
        return Map.of("x-queue-type", "classic",
                "x-max-length", maxLength,
                "x-overflow", "drop-head");
    }

    /**
     * Declares a new queue of this description on {@code channel} (non-durable, exclusive, auto-delete) and binds it
     * to {@code exchange}; the exchange itself comes from {@link TopologyDeclarer#declareExchanges}.
     *
     * @return the queue's name, {@code <prefix>.<uuid>}
     */
    public String declare(Channel channel, String exchange) throws IOException {
        String queue = channel.queueDeclare(prefix + "." + UUID.randomUUID(), false, true, true, arguments())
                .getQueue();
        for (String pattern : bindings) {
            channel.queueBind(queue, exchange, pattern);
        }
        return queue;
    }
}
