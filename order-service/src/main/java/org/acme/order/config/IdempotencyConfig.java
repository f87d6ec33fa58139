package org.acme.order.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long {@code POST /orders} remembers an {@code Idempotency-Key} and its first answer. */
@ConfigMapping(prefix = "order.idempotency")
public interface IdempotencyConfig {

    /** A key is remembered this long after its first use (the IETF draft suggests at least a day). */
    @WithDefault("24h")
    Duration retention();

    /** How often keys past their retention are deleted. */
    @WithDefault("1h")
    Duration purgeInterval();
}
