package org.acme.order.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How order-service checks finished orders against payment-service (see PaymentReconciliation). */
@ConfigMapping(prefix = "order.reconciliation")
public interface ReconciliationConfig {

    /** How often to look for finished orders not yet checked (also once, this long after startup). */
    @WithDefault("5m")
    Duration interval();

    /**
     * An order is checked once it has been finished this long: long enough for the compensation of a cancelled order
     * (relay, broker, payment-service's consumer, and back) to have happened when nothing went wrong.
     */
    @WithDefault("5m")
    Duration settleAfter();

    /** At most this many orders per run; the rest wait for the next. */
    @WithDefault("100")
    int batchSize();
}
