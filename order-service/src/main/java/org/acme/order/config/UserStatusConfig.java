package org.acme.order.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How order-service keeps listening to user status changes (see UserStatusFeed). */
@ConfigMapping(prefix = "order.user-status")
public interface UserStatusConfig {

    /** While the broker is away, how often to try to connect again (each time on a new queue: a gap is a gap). */
    @WithDefault("5s")
    Duration reconnectInterval();
}
