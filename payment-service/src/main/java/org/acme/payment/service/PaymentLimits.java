package org.acme.payment.service;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.payment.config.PaymentConfig;
import org.acme.resilience.validation.SupportedCurrency;

/** The limit of each supported currency, checked once at startup so no charge ever meets a currency without one. */
@ApplicationScoped
public class PaymentLimits {

    private final Map<SupportedCurrency, BigDecimal> limits = new EnumMap<>(SupportedCurrency.class);

    public PaymentLimits(PaymentConfig config) {
        for (SupportedCurrency currency : SupportedCurrency.values()) {
            String key = "payment.limit.\"" + currency + "\"";
            BigDecimal limit = config.limits().get(currency.name());
            if (limit == null) {
                throw new IllegalStateException(key + " is not set: every supported currency (" + SupportedCurrency.codes()
                        + ") needs a payment limit");
            }
            if (limit.signum() <= 0 || !currency.fits(limit)) {
                throw new IllegalStateException(key + " must be a positive amount with at most " + currency.minorUnits()
                        + " decimals, was " + limit);
            }
            limits.put(currency, currency.scale(limit));
        }
    }

    public BigDecimal of(SupportedCurrency currency) {
        return limits.get(currency);
    }
}
