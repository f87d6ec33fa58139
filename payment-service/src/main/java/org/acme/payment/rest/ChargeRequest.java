package org.acme.payment.rest;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.resilience.validation.KnownCurrency;

/**
 * A charge for one order; {@code orderId} is its idempotency key. {@code amount} is a JSON number in the currency's
 * major units with at most its minor units as decimals (docs/adr/0001-amount-wire-format.md); at most 12 integer
 * digits, what storage holds.
 */
public record ChargeRequest(
        @NotNull UUID orderId,
        @NotNull @Positive Long userId,
        @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 12, fraction = 3) BigDecimal amount,
        @NotNull @KnownCurrency String currency) {
}
