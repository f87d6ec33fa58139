package org.acme.resilience.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The currencies this system takes money in, each with its ISO 4217 minor units: how many decimals an amount may
 * have (JPY none, KWD three). A short list on purpose: every currency here has a payment limit configured and has
 * been thought about; ISO 4217 also lists codes no one should be charged in (XAU gold, XXX "no currency").
 * Amounts travel as JSON numbers in major units (docs/adr/0001-amount-wire-format.md).
 */
public enum SupportedCurrency {
    CHF(2), EUR(2), GBP(2), JPY(0), KWD(3), USD(2);

    /** The most decimals any supported currency has: what storage must hold. */
    public static final int MAX_MINOR_UNITS = 3;

    private final int minorUnits;

    SupportedCurrency(int minorUnits) {
        this.minorUnits = minorUnits;
    }

    public int minorUnits() {
        return minorUnits;
    }

    public static Optional<SupportedCurrency> of(String code) {
        return Arrays.stream(values()).filter(c -> c.name().equals(code)).findFirst();
    }

    /** The codes, comma-separated, for messages. */
    public static String codes() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Whether {@code amount} has no more decimals than this currency's minor units (trailing zeros aside). */
    public boolean fits(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= minorUnits;
    }

    /** {@code amount} with exactly this currency's decimals (1500 JPY, 25.00 EUR, 1.250 KWD); it must {@link #fits}. */
    public BigDecimal scale(BigDecimal amount) {
        return amount.setScale(minorUnits, RoundingMode.UNNECESSARY);
    }

    /** A message for an amount that does not {@link #fits}. */
    public String tooManyDecimals() {
        return minorUnits == 0 ? "must be a whole number of " + name() + " (it has no minor unit)"
                : "must have at most " + minorUnits + " decimals in " + name();
    }
}
