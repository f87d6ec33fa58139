package org.acme.order.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How order-service finishes sagas that a crash left unfinished. */
@ConfigMapping(prefix = "order.saga")
public interface SagaConfig {

    /**
     * An order still PENDING this long after it was created belongs to a saga that will not finish by itself (its
     * instance crashed); it is cancelled and compensated. Must exceed the longest a live saga can take: the user
     * lookup and the payment call with all their retries.
     */
    @WithDefault("60s")
    Duration staleAfter();

    /** How often to look for such orders (also done once at startup). */
    @WithDefault("15s")
    Duration recoveryInterval();
}
