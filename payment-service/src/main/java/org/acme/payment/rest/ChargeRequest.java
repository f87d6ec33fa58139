package org.acme.payment.rest;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.resilience.validation.KnownCurrency;

/** A charge for one order; {@code orderId} is its idempotency key. */
public record ChargeRequest(
        @NotNull UUID orderId,
        @NotNull @Positive Long userId,
        @NotNull @DecimalMin("0.01") @Digits(integer = 10, fraction = 2) BigDecimal amount,
        @NotNull @KnownCurrency String currency) {
}
