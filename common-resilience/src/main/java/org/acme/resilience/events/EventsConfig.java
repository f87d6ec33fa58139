package org.acme.resilience.events;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How this service takes part in {@code domain_events}: the broker topology it declares, the retry ladder of its
 * consumer queues and how long handled event ids are remembered. The defaults below are the only ones; a value out of
 * range fails startup naming its key.
 */
@ConfigMapping(prefix = "events")
public interface EventsConfig {

    TopologySettings topology();

    ConsumerSettings consumer();

    ProcessedSettings processed();

    interface TopologySettings {
        /** Appended to every consumer queue's name (tests use {@code .test}); none in production. */
        Optional<String> queueSuffix();

        /** How often the unrouted queue's depth is read, and a topology not applied at startup is applied again. */
        @WithDefault("30s")
        Duration checkInterval();
    }

    interface ConsumerSettings {
        /** The ladder of every consumer queue that sets none of its own ({@code events.consumer."<queue>".retry.*}). */
        Retry retry();
    }

    /** The wait after failed attempt n is min(initial-delay × factor^(n-1), max-delay); see RetryLadder. */
    interface Retry {
        /** Wait after the first failure. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Growth of the wait per failed attempt. */
        @WithDefault("2")
        @DecimalMin("1")
        double factor();

        /** The longest wait, the ladder's top rung. */
        @WithDefault("5m")
        Duration maxDelay();

        /** Failed attempts before the message is dead-lettered: 300 wait about a day with the other defaults. */
        @WithDefault("300")
        @Min(1)
        int maxAttempts();
    }

    interface ProcessedSettings {
        /** How long a handled event id is remembered; far longer than any redelivery takes. */
        @WithDefault("7d")
        Duration retention();
    }
}
