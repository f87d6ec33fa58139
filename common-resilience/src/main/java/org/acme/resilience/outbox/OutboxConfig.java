package org.acme.resilience.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox relay and how long published rows are kept. The defaults below are the only ones. */
@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    Relay relay();

    /** How long a published row is kept, to look at what was published; then housekeeping deletes it. */
    @WithDefault("24h")
    Duration retention();

    interface Relay {
        /** How often pending rows are looked for besides the wake-up after each commit (the safety net). */
        @WithDefault("1s")
        Duration interval();

        /** Rows claimed and published at a time. */
        @WithDefault("200")
        @Min(1)
        int batchSize();

        /** How long the relay waits for the broker's confirms of a batch; unconfirmed rows are published again. */
        @WithDefault("5s")
        Duration confirmTimeout();

        /** How long a claimed batch is reserved for one relay, longer than the confirm timeout; then it is claimed again. */
        @WithDefault("60s")
        Duration claim();
    }
}
