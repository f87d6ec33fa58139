package org.acme.payment.faults;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Faults payment-service injects into its own {@code /payments} API, to watch the callers' retries, timeouts and
 * circuit at work.
 *
 * @param latencyMillis added before every payments request is handled
 * @param failureRate share of payments requests answered 500 (0 to 1)
 * @param down when true every payments request is answered 503
 */
public record Faults(
        @NotNull @Min(0) @Max(60_000) Long latencyMillis,
        @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double failureRate,
        @NotNull Boolean down) {

    public static final Faults NONE = new Faults(0L, 0.0, false);
}
