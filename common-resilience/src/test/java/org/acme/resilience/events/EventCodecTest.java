package org.acme.resilience.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The envelope on the wire: what is encoded comes back the same, and anything less than an envelope is malformed. */
class EventCodecTest {

    record Registered(long userId, String email) {
    }

    private static final Instant AT = Instant.parse("2026-11-23T07:00:00Z");
    private final EventCodec codec = new EventCodec(
            new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS),
            Clock.fixed(AT, ZoneOffset.UTC));

    @Test
    void anEnvelopeIsACloudEventStampedByTheClock() {
        DomainEvent event = codec.envelope("user-service", "user.registered", "7", new Registered(7, "a@example.org"));

        assertThat(event.specversion()).isEqualTo("1.0");
        assertThat(event.datacontenttype()).isEqualTo("application/json");
        assertThat(event.time()).isEqualTo(OffsetDateTime.ofInstant(AT, ZoneOffset.UTC));
        assertThat(event.id()).isNotEqualTo(codec.envelope("user-service", "user.registered", "7", Map.of()).id());
    }

    @Test
    void whatIsEncodedDecodesTheSameFromEveryPayloadTheConnectorHandsOver() {
        DomainEvent event = codec.envelope("user-service", "user.registered", "7", new Registered(7, "a@example.org"));
        String json = codec.encode(event);

        for (Object payload : new Object[] { json, json.getBytes(StandardCharsets.UTF_8), Buffer.buffer(json),
                new JsonObject(json) }) {
            DomainEvent decoded = codec.decode(payload);
            assertThat(codec.encode(decoded)).as(payload.getClass().getSimpleName()).isEqualTo(json);
            assertThat(decoded.id()).isEqualTo(event.id());
            assertThat(decoded.time()).isEqualTo(event.time());
            assertThat(codec.data(decoded, Registered.class)).isEqualTo(new Registered(7, "a@example.org"));
        }
    }

    @Test
    void anythingButACompleteEnvelopeIsMalformedAndSaysWhy() {
        assertMalformed("not json", "not a JSON event envelope");
        assertMalformed("[1, 2]", "not a JSON event envelope");
        assertMalformed(null, "empty message body");
        assertMalformed(42, "unsupported payload type java.lang.Integer");
        String complete = codec.encode(codec.envelope("order-service", "order.created", "o-1", Map.of("total", 1)));
        for (String field : new String[] { "id", "type", "source", "subject", "data" }) {
            JsonObject without = new JsonObject(complete);
            without.remove(field);
            assertMalformed(without.encode(), "envelope field '" + field + "' is missing");
        }
        assertMalformed(new JsonObject(complete).put("subject", " ").encode(), "envelope field 'subject' is missing");
        assertMalformed(new JsonObject(complete).put("id", "not-a-uuid").encode(), "not a JSON event envelope");
    }

    @Test
    void dataOfAnotherShapeIsMalformedNamingTheEvent() {
        DomainEvent event = codec.decode(codec.encode(
                codec.envelope("user-service", "user.registered", "7", Map.of("userId", "seven"))));

        assertThatThrownBy(() -> codec.data(event, Registered.class)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("data of user.registered " + event.id() + " does not match Registered");
    }

    private void assertMalformed(Object payload, String reason) {
        assertThatThrownBy(() -> codec.decode(payload)).as(String.valueOf(payload))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining(reason);
    }
}
