package org.acme.resilience.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one envelope every event on {@code domain_events} travels in: a CloudEvents 1.0 event in structured JSON mode.
 *
 * <p>{@code type} is also the routing key ({@code <aggregate>.<past-tense verb>}), {@code subject} is the aggregate id,
 * {@code source} is the producing service and {@code id} is the idempotency key consumers deduplicate on.
 */
public record DomainEvent(
        String specversion,
        UUID id,
        String source,
        String type,
        OffsetDateTime time,
        String subject,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** Media type of a structured-mode CloudEvent, set as the AMQP content type. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";
}
