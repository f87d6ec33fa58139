package org.acme.resilience.observe;

import java.time.Instant;
import java.util.Map;

import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * A circuit of one downstream changed state. Fired as a CDI event; logged, counted and published as
 * {@code resilience.circuit.<opened|half_opened|closed>}.
 */
public record CircuitTransition(String downstream, CircuitBreakerState from, CircuitBreakerState to, String reason,
        Instant at) {

    /** The routing key / event type announcing this transition. */
    public String eventType() {
        return "resilience.circuit." + switch (to) {
            case OPEN -> "opened";
            case HALF_OPEN -> "half_opened";
            case CLOSED -> "closed";
        };
    }

    /** The data of its event: which circuit, from and to what, why, and when. */
    public Map<String, String> data() {
        return Map.of("downstream", downstream, "from", from.name(), "to", to.name(), "reason", reason,
                "at", at.toString());
    }
}
