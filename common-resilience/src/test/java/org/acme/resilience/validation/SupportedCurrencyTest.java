package org.acme.resilience.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class SupportedCurrencyTest {

    private final KnownCurrency.Validator known = new KnownCurrency.Validator();

    @Test
    void onlyTheShortListIsKnownNotEveryIso4217Code() {
        for (String code : new String[] { "EUR", "USD", "GBP", "CHF", "JPY", "KWD" }) {
            assertThat(known.isValid(code, null)).as(code).isTrue();
        }
        for (String code : new String[] { "XAU", "XXX", "XTS", "eur", "EURO", "" }) {
            assertThat(known.isValid(code, null)).as(code).isFalse();
        }
    }

    @Test
    void eachCurrencyHasItsMinorUnits() {
        assertThat(SupportedCurrency.JPY.fits(new BigDecimal("1500"))).isTrue();
        assertThat(SupportedCurrency.JPY.fits(new BigDecimal("1500.00"))).isTrue(); // trailing zeros are no decimals
        assertThat(SupportedCurrency.JPY.fits(new BigDecimal("12.5"))).isFalse();
        assertThat(SupportedCurrency.EUR.fits(new BigDecimal("12.505"))).isFalse();
        assertThat(SupportedCurrency.KWD.fits(new BigDecimal("1.234"))).isTrue();
        assertThat(SupportedCurrency.KWD.fits(new BigDecimal("1.2345"))).isFalse();

        assertThat(SupportedCurrency.JPY.scale(new BigDecimal("1500.00")).toPlainString()).isEqualTo("1500");
        assertThat(SupportedCurrency.EUR.scale(new BigDecimal("25")).toPlainString()).isEqualTo("25.00");
        assertThat(SupportedCurrency.KWD.scale(new BigDecimal("1.25")).toPlainString()).isEqualTo("1.250");
        assertThat(SupportedCurrency.JPY.scale(new BigDecimal("1E+3")).toPlainString()).isEqualTo("1000");
    }
}
