package org.acme.payment.config;

import java.math.BigDecimal;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** payment-service's business settings. */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

    /**
     * The largest amount charged per currency, in its major units ({@code payment.limit."EUR"=1000.00}, env
     * {@code PAYMENT_LIMIT__EUR_=…}); a charge above it is declined, a business outcome. Every supported currency needs
     * one: a missing limit stops the service at startup ({@code PaymentLimits}).
     */
    @WithName("limit")
    Map<String, BigDecimal> limits();
}
