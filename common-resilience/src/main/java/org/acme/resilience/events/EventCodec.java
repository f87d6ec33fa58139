package org.acme.resilience.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Turns domain payloads into {@link DomainEvent} envelopes and wire bytes back into envelopes.
 *
 * <p>Decoding is strict: anything that is not a complete envelope is rejected with {@link MalformedEventException}, so a
 * consumer can tell a poison message (never retry) from a failure while handling a good one.
 */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper mapper;
    private final Clock clock;

    public EventCodec(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    public DomainEvent envelope(String source, String type, String subject, Object data) {
        return new DomainEvent(DomainEvent.SPEC_VERSION, UUID.randomUUID(), source, type,
                OffsetDateTime.now(clock), subject, DomainEvent.DATA_CONTENT_TYPE, mapper.valueToTree(data));
    }

    public String encode(DomainEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize event " + event.id(), e);
        }
    }

    /** Accepts what the RabbitMQ connector hands over for a message body: bytes, a string, a buffer or parsed JSON. */
    public DomainEvent decode(Object payload) {
        String json;
        if (payload instanceof byte[] bytes) {
            json = new String(bytes, StandardCharsets.UTF_8);
        } else if (payload instanceof Buffer buffer) {
            json = buffer.toString(StandardCharsets.UTF_8);
        } else if (payload instanceof JsonObject object) {
            json = object.encode();
        } else if (payload instanceof String string) {
            json = string;
        } else {
            throw new MalformedEventException(payload == null ? "empty message body"
                    : "unsupported payload type " + payload.getClass().getName());
        }
        DomainEvent event;
        try {
            event = mapper.readValue(json, DomainEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("body is not a JSON event envelope: " + e.getOriginalMessage());
        }
        requirePresent(event.id(), "id");
        requirePresent(event.type(), "type");
        requirePresent(event.source(), "source");
        requirePresent(event.subject(), "subject");
        requirePresent(event.data(), "data");
        return event;
    }

    public <T> T data(DomainEvent event, Class<T> type) {
        try {
            return mapper.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("data of " + event.type() + " " + event.id() + " does not match "
                    + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void requirePresent(Object value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new MalformedEventException("envelope field '" + field + "' is missing");
        }
    }
}
