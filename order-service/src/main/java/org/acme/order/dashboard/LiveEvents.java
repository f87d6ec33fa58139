package org.acme.order.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Every message on {@code domain_events}, as it happens, for the dashboard: an exclusive, self-deleting queue of this
 * instance bound to {@code #}. Nothing is kept: a browser sees what arrives while it watches.
 */
@ApplicationScoped
public class LiveEvents {

    public static final String CHANNEL = "dashboard-events";

    private final BroadcastProcessor<String> events = BroadcastProcessor.create();

    @Incoming(CHANNEL)
    public CompletionStage<Void> onEvent(Message<?> message) {
        String routingKey = message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(IncomingRabbitMQMetadata::getRoutingKey).orElse("?");
        events.onNext(new JsonObject().put("routingKey", routingKey).put("body", text(message.getPayload()))
                .encode());
        return message.ack();
    }

    /** One JSON object per event: {@code routingKey} and the raw {@code body}. */
    public Multi<String> stream() {
        return events;
    }

    private static String text(Object payload) {
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        return String.valueOf(payload);
    }
}
