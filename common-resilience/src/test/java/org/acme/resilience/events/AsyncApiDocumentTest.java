package org.acme.resilience.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.acme.resilience.testing.AsyncApi;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/asyncapi.yaml} is a valid AsyncAPI 3.0.0 document (against the schema {@code @asyncapi/parser} 3.6.3
 * uses, vendored), and its schemas refuse what they must: an event whose envelope or data breaks the contract. That
 * the producers' events match it is each service's {@code EventsMatchAsyncApiTest}.
 */
class AsyncApiDocumentTest {

    private final AsyncApi asyncApi = AsyncApi.load();

    @Test
    void theDocumentIsValidAsyncApi300() {
        assertThat(asyncApi.documentErrors()).isEmpty();
    }

    @Test
    void itDescribesEveryRoutingKeyOnTheExchange() {
        assertThat(asyncApi.routingKeys()).containsExactlyInAnyOrder("user.registered", "user.status-changed",
                "order.created", "order.confirmed", "order.cancelled", "order.refunded", "payment.completed",
                "payment.declined", "payment.refunded", "resilience.circuit.opened",
                "resilience.circuit.half_opened", "resilience.circuit.closed");
    }

    @Test
    void itsSchemasRefuseAnEventThatBreaksTheContract() {
        String valid = """
                {"specversion":"1.0","id":"3f0c2a52-5a43-4b8e-9a39-6f3c1f0f9d11","source":"user-service",
                 "type":"user.status-changed","time":"2026-12-03T10:15:30.123Z","subject":"7",
                 "datacontenttype":"application/json","data":{"userId":7,"status":"BLOCKED","statusVersion":2}}""";
        assertThat(asyncApi.eventErrors("user.status-changed", valid)).isEmpty();
        assertThat(asyncApi.eventErrors("user.status-changed", valid.replace("\"statusVersion\":2", "\"v\":2")))
                .isNotEmpty(); // a field a consumer reads, removed
        assertThat(asyncApi.eventErrors("user.status-changed", valid.replace("BLOCKED", "SUSPENDED")))
                .isNotEmpty(); // a status no consumer knows
        assertThat(asyncApi.eventErrors("user.status-changed", valid.replace("\"specversion\":\"1.0\",", "")))
                .isNotEmpty(); // not a CloudEvent
        assertThat(asyncApi.eventErrors("user.status-changed", valid.replace("user-service", "order-service")))
                .isNotEmpty(); // from a service that does not produce it
    }
}
