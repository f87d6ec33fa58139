package org.acme.order.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the dashboard shows of an event: its envelope ({@code type}, {@code id}, {@code source}, {@code time},
 * {@code subject}) and of its {@code data} only the fields on {@link #KEPT}, at any depth: ids, statuses, amounts,
 * currencies, reasons, circuit transitions. Everything else, a person's name and email among them, is left out: an
 * allow-list, so a field added to an event later stays off the screen until someone decides it may be shown.
 */
final class EventProjection {

    /** The fields of event data the dashboard may show. */
    static final Set<String> KEPT = Set.of(
            "orderId", "paymentId", "userId", // ids
            "status", "statusVersion", "reason", // what happened
            "total", "amount", "currency", "items", "sku", "quantity", "unitPrice", // order and payment terms
            "downstream", "from", "to", "at"); // circuit transitions

    private static final Set<String> ENVELOPE = Set.of("type", "id", "source", "time", "subject");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventProjection() {
    }

    /** One JSON object: {@code routingKey}, the envelope and the kept data; {@code malformed} when it is no event. */
    static String of(String routingKey, byte[] body) {
        ObjectNode shown = JSON.createObjectNode().put("routingKey", routingKey);
        JsonNode event;
        try {
            event = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            return shown.put("malformed", true).toString();
        }
        for (String field : ENVELOPE) {
            JsonNode value = event.get(field);
            if (value != null && value.isValueNode()) {
                shown.set(field, value);
            }
        }
        shown.set("data", kept(event.path("data")));
        return shown.toString();
    }

    private static JsonNode kept(JsonNode data) {
        if (data.isObject()) {
            ObjectNode kept = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> field : data.properties()) {
                if (KEPT.contains(field.getKey())) {
                    kept.set(field.getKey(), kept(field.getValue()));
                }
            }
            return kept;
        }
        if (data.isArray()) {
            ArrayNode kept = JSON.createArrayNode();
            data.forEach(element -> kept.add(kept(element)));
            return kept;
        }
        return data.isMissingNode() ? JSON.createObjectNode() : data;
    }
}
