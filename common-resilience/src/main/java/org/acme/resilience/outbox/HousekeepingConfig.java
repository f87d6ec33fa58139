package org.acme.resilience.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How often {@link Housekeeping} runs and how much it deletes per transaction. The defaults below are the only ones. */
@ConfigMapping(prefix = "housekeeping")
public interface HousekeepingConfig {

    @WithDefault("1h")
    Duration interval();

    /** Rows deleted per short transaction. */
    @WithDefault("5000")
    @Min(1)
    int batchSize();
}
